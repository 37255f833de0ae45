//! App-wide state, each piece behind a `provide_x()` / `use_x()` pair.

pub mod backend;
pub mod connection;
pub mod invite_keys;
pub mod session;

//! App-wide state, each piece behind a `provide_x()` / `use_x()` pair.

pub mod backend;
pub mod chats;
pub mod connection;
pub mod drafts;
pub mod invite_keys;
pub mod notifications;
pub mod outbox;
pub mod session;

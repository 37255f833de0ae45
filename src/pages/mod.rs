//! One module per screen.

pub mod admin;
pub mod chats;
mod confirm_child;
pub mod invites;
pub mod join;
mod not_found;
mod sign_in;
mod unreachable;
mod welcome;

pub use confirm_child::ConfirmChildPage;
pub use not_found::{NotFound, NotFoundPage};
pub use sign_in::SignInPage;
pub use unreachable::UnreachablePage;
pub use welcome::WelcomePage;

//! Every path of the app, in one place. Routes are declared in `app.rs`; links use these builders.

pub const HOME: &str = "/";
pub const SIGN_IN: &str = "/signin";
pub const WELCOME: &str = "/welcome";

/// The timeline of one chat.
pub fn chat(id: i64) -> String {
    format!("/chats/{id}")
}

//! Every request the app makes, and the WebSocket of live events. Components call these functions and
//! never build URLs or read JSON themselves.

mod auth;
mod chats;
mod config;
mod events;
mod http;
mod invites;

pub use auth::{request_code, sign_in, sign_out};
pub use chats::{
    PageOf, chat, chats, delete_message, edit_message, messages, more_messages, react, read_up_to,
    send_message,
};
pub use config::{AppConfig, load_config, meta};
pub use events::{EventSocket, events_url};
pub use http::{abort_on_cleanup, on_signed_out, set_api_base};
pub use invites::*;

pub use auth::{me, save_profile};

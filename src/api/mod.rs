//! Every request the app makes, and the WebSocket of live events. Components call these functions and
//! never build URLs or read JSON themselves.

pub mod admin;
mod auth;
mod chats;
mod config;
mod events;
mod files;
mod http;
mod invites;

pub use auth::{
    child_confirmation, choose_profile, decide_child, email_sign_in, request_code, request_email_code,
    resend_child_confirmation, sign_in, sign_out,
};
pub use chats::{
    PageOf, PeopleFor, acknowledge, acks, add_members, change_chat, chat, chat_again, chats, close_poll,
    create_chat, create_poll, delete_message, edit_message, join_chat, leave_chat, members, messages,
    more_messages, people, pin_message, react, read_up_to, remove_member, search, send_message, start_direct,
    unpin, vote,
};
pub use config::{AppConfig, load_config, meta_at};
pub use events::{EventSocket, events_url};
pub use files::{Upload, Uploaded, delete_my_file, file_url, my_files, upload};
pub use http::{abort_on_cleanup, api_base_set, normalize_api_base, on_signed_out, set_api_base};
pub use invites::*;

pub use auth::{me, me_at, save_profile};

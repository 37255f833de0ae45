//! The signed-in home: the person's schools and chats beside the open chat (two panes on a desktop,
//! one at a time on a phone).

mod attachments;
mod chat;
mod composer;
mod header;
mod info;
mod join_bar;
mod layout;
mod list;
mod message;
mod my_files;
mod new_chat;
mod poll;
mod search;
mod system_line;
mod timeline;
mod window;

pub use layout::ChatsLayout;
pub use list::{kind_name, role_name};

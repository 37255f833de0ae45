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

pub use chat::{ChatView, NoChatSelected};
pub use info::ChatInfoScreen;
pub use layout::{SignedInGate, SignedInLayout};
pub use list::{kind_name, role_name};
pub use my_files::MyFilesScreen;
pub use new_chat::NewChatScreen;
pub use search::SearchScreen;

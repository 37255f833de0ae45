//! Chats, channels and their messages.

use serde::{Deserialize, Serialize};

/// What kind of conversation a chat is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    /// One-to-many: «Общий канал» (whole school), «Сотрудники» (staff); only permitted authors post.
    Channel,
    /// The staff room chat («Учительская»).
    Staff,
    /// A class chat (teachers and students of a class).
    Class,
    /// The parents' chat of a class.
    Parents,
    /// A subject chat.
    Subject,
    /// Any other group.
    Group,
    /// A 1:1 conversation.
    Direct,
    #[serde(other)]
    Unknown,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Channel => "channel",
            ChatKind::Staff => "staff",
            ChatKind::Class => "class",
            ChatKind::Parents => "parents",
            ChatKind::Subject => "subject",
            ChatKind::Group => "group",
            ChatKind::Direct => "direct",
            ChatKind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> ChatKind {
        [
            ChatKind::Channel,
            ChatKind::Staff,
            ChatKind::Class,
            ChatKind::Parents,
            ChatKind::Subject,
            ChatKind::Group,
            ChatKind::Direct,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .unwrap_or(ChatKind::Unknown)
    }
}

/// A row of the chat list (`GET /api/v1/chats`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChatSummary {
    pub id: i64,
    pub school_id: i64,
    pub kind: ChatKind,
    pub title: String,
    pub last_message: Option<MessagePreview>,
    /// RFC 3339: the last message, or the chat's creation when it has none. The list is sorted by it.
    pub last_activity_at: String,
}

/// The last message of a chat, shortened for the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MessagePreview {
    /// Display name of the author; absent for system events.
    pub author_name: Option<String>,
    /// At most ~100 characters of the text.
    pub text: String,
}

/// A chat as shown above its timeline (`GET /api/v1/chats/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Chat {
    pub id: i64,
    pub school_id: i64,
    pub school_name: String,
    pub kind: ChatKind,
    pub title: String,
    pub description: Option<String>,
    pub member_count: u32,
    /// Whether the person asking may post here (false for readers of a channel).
    pub can_post: bool,
}

/// One message of a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: i64,
    pub chat_id: i64,
    /// Absent for system events.
    pub author: Option<Author>,
    pub kind: MessageKind,
    /// Plain text, exactly as written: clients must never insert it as HTML.
    pub text: String,
    /// RFC 3339.
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Author {
    pub id: i64,
    pub name: String,
    /// A teacher whose «учитель» status an administrator of this school confirmed: shown as a badge.
    #[serde(default)]
    pub teacher_verified: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Text,
    /// Joined, left, chat created: `text` describes it.
    System,
    #[serde(other)]
    Unknown,
}

/// A page of a timeline, oldest first (`GET /api/v1/chats/{id}/messages?before=&limit=`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Whether older messages exist before the first one of this page.
    pub has_more: bool,
}

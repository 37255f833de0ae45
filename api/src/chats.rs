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
    /// Messages of others after the person's read position (system events do not count).
    #[serde(default)]
    pub unread_count: u32,
    /// How many of those mention the person: the chat list marks the chat with «@».
    #[serde(default)]
    pub unread_mentions: u32,
}

/// The last message of a chat, shortened for the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MessagePreview {
    /// Display name of the author; absent for system events.
    pub author_name: Option<String>,
    /// At most ~100 characters of the text.
    pub text: String,
    /// For a system event, what happened ([`Message::system`]): a client words it in the reader's
    /// language instead of `text`.
    #[serde(default)]
    pub system: Option<SystemEvent>,
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
    /// Whether the person may delete others' messages here: an administrator of the school, or a
    /// teacher who is a member of a class, parents', subject or group chat.
    #[serde(default)]
    pub can_moderate: bool,
    /// The newest message the person has read; `None` before they read any. Everything after it
    /// written by others is unread, and the app opens the chat at the first such message.
    #[serde(default)]
    pub last_read_id: Option<i64>,
    #[serde(default)]
    pub unread_count: u32,
    /// Who may post: everyone who may post in chats of this kind, or only the chat's managers.
    #[serde(default)]
    pub posting: Posting,
    /// Whether the person manages the chat: may rename it, change who posts, and add or remove
    /// members. An administrator of the school, the chat's creator, or a teacher of its class.
    /// Nobody manages channels but administrators, and nobody manages a direct chat.
    #[serde(default)]
    pub can_manage: bool,
    /// Whether the person may leave the chat: group and subject chats only. The chats of a class,
    /// «Учительская» and the channels follow the person's place in the school.
    #[serde(default)]
    pub can_leave: bool,
    /// The class the chat belongs to, if any.
    #[serde(default)]
    pub class_id: Option<i64>,
    /// The message pinned above the timeline, quoted; none once it is deleted.
    #[serde(default)]
    pub pinned: Option<Quote>,
    /// Whether the person may pin and unpin: the chat's moderators and managers.
    #[serde(default)]
    pub can_pin: bool,
    /// Whether the person is a member. An administrator of the school may read any of its chats but
    /// a direct one without being in it: then `false`, with nothing to post, mark read or manage,
    /// and `POST /chats/{id}/join` to join it.
    #[serde(default = "crate::yes")]
    pub is_member: bool,
}

/// `PUT /api/v1/chats/{id}/pin`: pins this message of the chat (a text message or a poll, not
/// deleted), in place of any pinned before; `DELETE` unpins. Both answer the [`Chat`]; every member
/// hears `chat_updated`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PinMessage {
    pub message_id: i64,
}

/// Who may post in a chat.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Posting {
    /// Every member (in a channel: its permitted authors).
    #[default]
    Everyone,
    /// Only the chat's managers: an announcement chat.
    Managers,
}

/// One member of a chat (`GET /api/v1/chats/{id}/members`), for every member to see who can read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChatMember {
    pub id: i64,
    pub name: String,
    /// The person's roles in the chat's school, most senior first.
    pub roles: Vec<crate::Role>,
    #[serde(default)]
    pub teacher_verified: bool,
    /// Manages this chat (see [`Chat::can_manage`]).
    #[serde(default)]
    pub manager: bool,
    pub can_post: bool,
}

/// Someone of a school the person may write to, or add to a chat
/// (`GET /api/v1/schools/{id}/people?for=direct` or `?for=chat&chat_id=`).
///
/// Safe mode decides who may start a 1:1: staff (administrators and teachers) with anyone in the school;
/// a student with the teachers of their classes and their classmates; a parent with the teachers of
/// their children's classes and their own children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub name: String,
    /// Roles in the school, most senior first.
    pub roles: Vec<crate::Role>,
    /// Names of the classes the person belongs to (as student, parent or teacher), «7Б».
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub teacher_verified: bool,
}

/// `POST /api/v1/schools/{id}/direct`: the 1:1 with this person — the one there is (200) or a new one
/// (201). `forbidden` when safe mode does not allow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewDirectChat {
    pub user_id: i64,
}

/// The longest chat title, in characters.
pub const CHAT_TITLE_MAX_CHARS: usize = 100;
/// The longest chat description, in characters.
pub const CHAT_DESCRIPTION_MAX_CHARS: usize = 500;

/// `POST /api/v1/schools/{id}/chats` (201 with the [`ChatSummary`]).
///
/// Teachers create `subject` and `group` chats of a class they teach (`class_id` required), with
/// members from that class and the school's staff. Administrators create `subject`, `group` and
/// `channel` chats, with or without a class, with anyone of the school. The creator is a member and a
/// manager; each member hears `memberships_changed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewChat {
    pub kind: ChatKind,
    /// 1–[`CHAT_TITLE_MAX_CHARS`] characters once cleaned (one line, [`crate::text`]).
    #[serde(deserialize_with = "crate::text::line")]
    pub title: String,
    /// At most [`CHAT_DESCRIPTION_MAX_CHARS`] characters once cleaned (lines kept); blank is none.
    #[serde(default, deserialize_with = "crate::text::optional_text")]
    pub description: Option<String>,
    #[serde(default)]
    pub class_id: Option<i64>,
    /// Besides the creator; each one must be someone [`Contact`]s `?for=chat` would offer.
    #[serde(default)]
    pub member_ids: Vec<i64>,
    #[serde(default)]
    pub posting: Posting,
}

/// `PATCH /api/v1/chats/{id}`, by a manager: what is present changes. A new title or description puts a
/// system message in the timeline; every member hears `chat_updated`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChatChanges {
    /// Cleaned as [`NewChat::title`].
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub title: Option<String>,
    /// Cleaned as [`NewChat::description`]; an empty string removes the description.
    #[serde(default, deserialize_with = "crate::text::optional_text")]
    pub description: Option<String>,
    #[serde(default)]
    pub posting: Option<Posting>,
}

/// `POST /api/v1/chats/{id}/members`, by a manager: people to add (each one someone `?for=chat` offers).
/// Those already members are skipped. Each added person gets a system line in the timeline
/// ([`SystemEvent::MemberJoined`]) and hears `memberships_changed`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AddMembers {
    pub user_ids: Vec<i64>,
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
    /// Plain text, exactly as written: clients must never insert it as HTML. Empty once deleted. For
    /// a system line, `system` in Russian.
    pub text: String,
    /// RFC 3339.
    pub created_at: String,
    /// The id the author's client gave the message when sending it ([`NewMessage::client_id`]); the
    /// author's outbox matches its pending copy by it. `None` for system events.
    #[serde(default)]
    pub client_id: Option<String>,
    /// RFC 3339, set when the text was last edited.
    #[serde(default)]
    pub edited_at: Option<String>,
    /// Deleted by its author or a moderator: shown as a placeholder, `text` is empty.
    #[serde(default)]
    pub deleted: bool,
    /// The message this one answers, quoted.
    #[serde(default)]
    pub reply_to: Option<Quote>,
    /// One entry per emoji that at least one person chose, in the order of [`REACTIONS`].
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    /// How many members other than the author have read the message (their read position reached it).
    #[serde(default)]
    pub read_count: u32,
    /// For a [`MessageKind::Poll`]: its options and votes (`text` is the question).
    #[serde(default)]
    pub poll: Option<Poll>,
    /// For an announcement that asked for «Ознакомлен»: who has acknowledged it.
    #[serde(default)]
    pub ack: Option<AckState>,
    /// Files sent with the message, in the order they were attached; none once it is deleted.
    #[serde(default)]
    pub attachments: Vec<crate::FileInfo>,
    /// Members the message mentions ([`NewMessage::mentions`]); none once it is deleted.
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// For a [`MessageKind::System`] line: what happened, as data, so that each client words it in
    /// its reader's language. Absent on lines recorded before system events were data whose text
    /// matched no known sentence: those show `text` as it is.
    #[serde(default)]
    pub system: Option<SystemEvent>,
}

/// What a system line of a timeline records. People and titles are named as they were when it
/// happened, so a later rename leaves history as it was. `text` of the same message says it in
/// Russian, for clients that do not know this field or this kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SystemEvent {
    /// The chat was created («Чат создан»).
    ChatCreated,
    /// Someone became a member: by an invite, added by a manager, given the class, made an
    /// administrator («Анна Новикова — новый участник чата»).
    MemberJoined {
        /// Absent on lines recorded before system events were data, which named people only.
        #[serde(default)]
        user_id: Option<i64>,
        name: String,
    },
    /// Someone is no longer a member: removed by a manager, moved to another class, taken out of the
    /// class or the school («… — больше не участник чата»).
    MemberRemoved {
        /// As in `member_joined`.
        #[serde(default)]
        user_id: Option<i64>,
        name: String,
    },
    /// Someone left the chat by themselves («… покидает чат»).
    MemberLeft {
        /// As in `member_joined`.
        #[serde(default)]
        user_id: Option<i64>,
        name: String,
    },
    /// The chat got this title, from a manager or with its class renamed («Название чата изменено: «…»»).
    ChatRenamed { title: String },
    /// The chat got a new description («Описание чата изменено»).
    DescriptionChanged,
    /// The chat's description was removed («Описание чата удалено»).
    DescriptionRemoved,
    /// A kind this version of a client does not know: it shows the message's `text`.
    #[serde(other)]
    Unknown,
}

/// A poll's state, the same for every reader (so one live event serves all), but for `my_choices`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Poll {
    /// In the order the author gave them.
    pub options: Vec<PollOption>,
    /// Several options may be chosen.
    pub multiple: bool,
    /// Nobody, the author included, sees who chose what: `PollOption::voter_ids` stay empty.
    pub anonymous: bool,
    /// RFC 3339: after it the poll is closed.
    #[serde(default)]
    pub closes_at: Option<String>,
    /// Closed by its author or by its deadline: no more votes or changes.
    pub closed: bool,
    /// How many people have voted.
    pub voter_count: u32,
    /// The indexes of the options the asking person chose. Filled in every REST answer; live events
    /// carry the same poll to everyone and leave it empty, so a client keeps the choices it knows.
    #[serde(default)]
    pub my_choices: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PollOption {
    pub text: String,
    pub votes: u32,
    /// Who chose it, in the order they did; always empty in an anonymous poll.
    #[serde(default)]
    pub voter_ids: Vec<i64>,
}

/// The fewest and most options of a poll.
pub const POLL_MIN_OPTIONS: usize = 2;
pub const POLL_MAX_OPTIONS: usize = 10;
/// The longest poll question and option, in characters.
pub const POLL_QUESTION_MAX_CHARS: usize = 300;
pub const POLL_OPTION_MAX_CHARS: usize = 100;

/// `POST /api/v1/chats/{id}/polls` (201 with the [`Message`], or 200 with the one already made for
/// this `client_id`, as for [`NewMessage`]). Anyone who may post in the chat may ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewPoll {
    pub client_id: String,
    /// 1–[`POLL_QUESTION_MAX_CHARS`] characters once cleaned (one line, [`crate::text`]).
    #[serde(deserialize_with = "crate::text::line")]
    pub question: String,
    /// [`POLL_MIN_OPTIONS`]–[`POLL_MAX_OPTIONS`] options, each 1–[`POLL_OPTION_MAX_CHARS`] characters
    /// once cleaned (one line), no two the same. Field errors name `options` (the list) or `options.N`.
    #[serde(deserialize_with = "crate::text::lines")]
    pub options: Vec<String>,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub anonymous: bool,
    /// RFC 3339, in the future.
    #[serde(default)]
    pub closes_at: Option<String>,
}

/// `PUT /api/v1/chats/{id}/messages/{message_id}/vote`: the person's choices, replacing any earlier
/// ones; none takes the vote back. One choice unless the poll is `multiple`. `poll_closed` once closed.
/// Answers the message with `my_choices`; every member hears `message_updated`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Vote {
    pub choices: Vec<u32>,
}

/// Who has acknowledged an announcement («Ознакомлен»): the same for every reader.
///
/// `POST /api/v1/chats/{id}/messages/{message_id}/ack` acknowledges it (again is no change);
/// `GET …/acks` lists who has and who has not, for its author and the chat's moderators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AckState {
    /// Who acknowledged it, in the order they did.
    pub user_ids: Vec<i64>,
    /// How many members are asked: everyone in the chat but the author, counted when it was sent.
    pub asked: u32,
}

/// `GET /api/v1/chats/{id}/messages/{message_id}/acks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AckList {
    /// In the order they acknowledged, with when.
    pub acknowledged: Vec<AckEntry>,
    /// Members (other than the author) who have not yet, by name.
    pub pending: Vec<AckEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AckEntry {
    pub user_id: i64,
    pub name: String,
    /// Roles in the chat's school, most senior first («родитель» next to a name is what a teacher
    /// chasing acknowledgements needs).
    pub roles: Vec<crate::Role>,
    /// RFC 3339; absent in `pending`.
    #[serde(default)]
    pub at: Option<String>,
}

/// A message quoted by a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Quote {
    pub id: i64,
    /// Display name of its author; absent for system events.
    pub author_name: Option<String>,
    /// At most ~100 characters of its text; empty when it was deleted.
    pub text: String,
    #[serde(default)]
    pub deleted: bool,
}

/// The people who reacted to a message with one emoji.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Reaction {
    /// One of [`REACTIONS`].
    pub emoji: String,
    /// Who chose it, in the order they did. The same for every reader, so one event serves all.
    pub user_ids: Vec<i64>,
}

/// The reactions a message can get.
pub const REACTIONS: [&str; 8] = ["👍", "❤️", "😂", "😮", "😢", "🙏", "👏", "✅"];

/// The longest message text, in characters (Unicode scalar values).
pub const MESSAGE_MAX_CHARS: usize = 4000;

/// How long after sending its author may still edit a message, in seconds.
pub const EDIT_WINDOW_SECONDS: u32 = 24 * 3600;

/// `POST /api/v1/chats/{id}/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewMessage {
    /// Made by the client when the person pressed send (8–64 of `A–Z a–z 0–9 - _`), and kept with the
    /// unsent message until the server confirms it. The server keeps one message per author, chat and
    /// client id: sending again after a lost answer returns the message already made (200, not 201).
    pub client_id: String,
    /// 1–[`MESSAGE_MAX_CHARS`] characters once cleaned ([`crate::text::clean_text`]: lines and tabs
    /// kept, control and direction-changing characters removed, surrounding blank lines and spaces
    /// trimmed).
    #[serde(deserialize_with = "crate::text::text")]
    pub text: String,
    /// A message of the same chat that this one answers.
    #[serde(default)]
    pub reply_to: Option<i64>,
    /// Ask every member to confirm they have read it («Ознакомлен»). Only the chat's moderators
    /// ([`Chat::can_moderate`]) may; anyone else gets `forbidden`.
    #[serde(default)]
    pub ask_ack: bool,
    /// Files the sender uploaded (attachments waiting to be sent, or from «Мои файлы», which stay
    /// there too), at most [`crate::MESSAGE_MAX_ATTACHMENTS`]. With attachments the text may be empty.
    /// A file id that is not the sender's: field `attachments`, `not_allowed`.
    #[serde(default)]
    pub attachments: Vec<i64>,
    /// People the text mentions (`@Имя Фамилия`, as the app's composer inserts it), by user id. The
    /// server keeps the chat's members among them, other than the author, at most
    /// [`MESSAGE_MAX_MENTIONS`], and drops the rest without an error.
    #[serde(default)]
    pub mentions: Vec<i64>,
}

/// At most this many people are mentioned in one message.
pub const MESSAGE_MAX_MENTIONS: usize = 50;

/// Someone a message mentions: the text holds `@` followed by `name`, which a client may highlight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Mention {
    pub user_id: i64,
    /// The person's name as they are called now («Имя Фамилия»).
    pub name: String,
}

/// `PATCH /api/v1/chats/{id}/messages/{message_id}`: the author's own text message, within
/// [`EDIT_WINDOW_SECONDS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EditMessage {
    /// Cleaned and limited as [`NewMessage::text`].
    #[serde(deserialize_with = "crate::text::text")]
    pub text: String,
    /// Whom the edited text mentions, as in [`NewMessage::mentions`]; they replace the message's
    /// mentions. Absent: the mentions stay as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<Vec<i64>>,
}

/// `POST /api/v1/chats/{id}/read`: the person has read up to this message (moving back is ignored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReadUpTo {
    pub message_id: i64,
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
    /// Joined, left, chat created: [`Message::system`] says what happened, `text` says it in Russian.
    System,
    /// A poll: `text` is the question, [`Message::poll`] the rest.
    Poll,
    #[serde(other)]
    Unknown,
}

/// A page of a timeline, oldest first.
///
/// `GET /api/v1/chats/{id}/messages?limit=` is the newest page; `?before=<id>` the page just older than
/// that message; `?after=<id>` the page just newer than it (oldest first, starting right after it).
/// `limit` is 1–100, 50 by default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Whether older messages exist before the first one of this page.
    pub has_more: bool,
    /// Whether newer messages exist after the last one of this page (only ever true for `after=` and
    /// `before=` pages).
    #[serde(default)]
    pub has_newer: bool,
}

/// The shortest and longest search, in characters once trimmed.
pub const SEARCH_MIN_CHARS: usize = 2;
pub const SEARCH_MAX_CHARS: usize = 100;
/// The most hits one search answers.
pub const SEARCH_MAX_HITS: usize = 30;

/// One message found by `GET /api/v1/search?q=…[&chat_id=…]`: messages (text and polls, not deleted)
/// containing every word of `q` — words matched by their beginning, in any case — in the person's
/// chats, or in one of them; newest first, at most [`SEARCH_MAX_HITS`]. A `q` of fewer than
/// [`SEARCH_MIN_CHARS`] or more than [`SEARCH_MAX_CHARS`] characters, or without a word: field `q`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub chat_id: i64,
    /// As the person's chat list names the chat.
    pub chat_title: String,
    pub message: Message,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_events_are_tagged_by_kind() {
        let joined = SystemEvent::MemberJoined { user_id: Some(7), name: "Анна Новикова".into() };
        assert_eq!(
            serde_json::to_string(&joined).unwrap(),
            r#"{"kind":"member_joined","user_id":7,"name":"Анна Новикова"}"#
        );
        assert_eq!(serde_json::to_string(&SystemEvent::ChatCreated).unwrap(), r#"{"kind":"chat_created"}"#);
        let migrated: SystemEvent = serde_json::from_str(r#"{"kind":"member_left","name":"Анна"}"#).unwrap();
        assert_eq!(migrated, SystemEvent::MemberLeft { user_id: None, name: "Анна".into() });
        let future: SystemEvent = serde_json::from_str(r#"{"kind":"call_ended","seconds":60}"#).unwrap();
        assert_eq!(future, SystemEvent::Unknown);
    }
}

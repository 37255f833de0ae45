//! Messages as the API shows them — with their reply quote, reactions, read count, poll,
//! acknowledgements and files — and what a person may do in a chat.
//!
//! A [`Message`] looks the same to every member (reactions, votes and acknowledgements name people by
//! id, the read count is one number for all), so one event about it serves the whole chat. The one
//! exception is [`Poll::my_choices`]: filled in for the person asking over REST, empty in events
//! ([`for_everyone`]).

use std::collections::HashMap;

use api::{
    AckState, Author, ChatKind, FileInfo, Mention, Message, MessageKind, Poll, PollOption, Posting, Quote,
    REACTIONS, Reaction, ServerEvent, SystemEvent,
};
use sqlx::SqliteConnection;

use crate::clock::rfc3339;
use crate::error::AppError;
use crate::event_log::{self, Audience};
use crate::files;
use crate::hub::Frame;
use crate::people::display_name;

/// The longest text a list row or a reply quote shows, in characters.
pub const PREVIEW_MAX_CHARS: usize = 100;

/// The kinds of chat in which the school's teachers who are members moderate, and in which the
/// teachers of the chat's class manage.
const TEACHER_MODERATED: &str = "('class', 'parents', 'subject', 'group')";

/// SQL: whether the person `user` (an SQL expression) manages the chat `c` — may rename it, change who
/// posts, and add or remove members. Nobody manages a direct chat; only the school's administrators
/// manage channels; any other chat is also managed by its creator and by the teachers of its class.
pub fn manages(user: &str) -> String {
    format!(
        "(c.kind <> 'direct' AND (
             EXISTS (SELECT 1 FROM memberships ma
                     WHERE ma.school_id = c.school_id AND ma.user_id = {user} AND ma.role = 'admin')
             OR (c.kind <> 'channel' AND (
                 c.created_by = {user}
                 OR (c.kind IN {TEACHER_MODERATED}
                     AND EXISTS (SELECT 1 FROM memberships mt JOIN classes k ON k.id = mt.class_id
                                 WHERE mt.user_id = {user} AND mt.role = 'teacher'
                                   AND mt.class_id = c.class_id AND k.kind = 'class'))))))"
    )
}

/// SQL: whether the chat `c` belongs to an archived class (a graduated one): its members keep reading
/// it, nobody writes there any more.
const READ_ONLY: &str =
    "EXISTS (SELECT 1 FROM classes ak WHERE ak.id = c.class_id AND ak.archived_at IS NOT NULL)";

/// SQL: whether the member `cm` of the chat `c` may post there: their own right (channel readers have
/// none), and, where only managers post, managing it; in nobody's chat of an archived class.
pub fn posts(user: &str) -> String {
    format!("(cm.can_post AND (c.posting = 'everyone' OR {}) AND NOT {READ_ONLY})", manages(user))
}

/// A person's place in a chat they are a member of.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChatAccess {
    pub chat_id: i64,
    pub school_id: i64,
    pub kind: String,
    pub class_id: Option<i64>,
    pub posting: String,
    pub can_post: bool,
    pub can_moderate: bool,
    pub can_manage: bool,
    pub last_read_id: Option<i64>,
    /// The chat of an archived class.
    pub read_only: bool,
}

impl ChatAccess {
    pub fn kind(&self) -> ChatKind {
        ChatKind::parse(&self.kind)
    }

    pub fn posting(&self) -> Posting {
        posting(&self.posting)
    }

    /// Group and subject chats are left at will; the others follow the person's place in the school.
    pub fn can_leave(&self) -> bool {
        matches!(self.kind(), ChatKind::Group | ChatKind::Subject)
    }

    /// Nothing written in the chat of an archived class changes any more: no edits, votes or closing
    /// polls (posting is refused through `can_post`).
    pub fn require_writable(&self) -> Result<(), AppError> {
        if self.read_only { Err(AppError::CannotPost) } else { Ok(()) }
    }

    /// Managers add people to any chat they manage but channels, which follow the school's membership.
    pub fn require_adding(&self) -> Result<(), AppError> {
        if self.can_manage && self.kind() != ChatKind::Channel { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// `chats.posting` as the API names it.
pub fn posting(stored: &str) -> Posting {
    if stored == "managers" { Posting::Managers } else { Posting::Everyone }
}

/// How `chats.posting` stores a rule.
pub fn posting_str(posting: Posting) -> &'static str {
    match posting {
        Posting::Everyone => "everyone",
        Posting::Managers => "managers",
    }
}

/// The person's access to the chat; `not_found` when they are not a member. Missing chats and other
/// people's chats answer alike, so that ids reveal nothing.
pub async fn access(conn: &mut SqliteConnection, chat_id: i64, user_id: i64) -> Result<ChatAccess, AppError> {
    sqlx::query_as(&format!(
        "SELECT c.id AS chat_id, c.school_id, c.kind, c.class_id, c.posting, cm.last_read_id,
                {posts} AS can_post, {manages} AS can_manage, {READ_ONLY} AS read_only,
                EXISTS (SELECT 1 FROM memberships m WHERE m.school_id = c.school_id AND m.user_id = ?2
                          AND (m.role = 'admin' OR (m.role = 'teacher' AND c.kind IN {TEACHER_MODERATED})))
                    AS can_moderate
         FROM chats c JOIN chat_members cm ON cm.chat_id = c.id AND cm.user_id = ?2
         WHERE c.id = ?1",
        posts = posts("?2"),
        manages = manages("?2"),
    ))
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// How a person reads a chat: as a member, or as an administrator of its school looking in.
#[derive(Clone, Debug)]
pub struct Reading {
    /// For an administrator who is not a member: no right to post, moderate or manage, nothing read.
    pub access: ChatAccess,
    pub member: bool,
}

/// Who may read the chat: its members, and the administrators of its school, who answer for every
/// chat of it (a parents' chat that went wrong, a class chat with no teacher in it yet). Direct chats
/// are the exception: a 1:1 is two people's private correspondence, which no role in the school
/// entitles anyone else to read, so to everyone but its two members it answers `not_found`, like a
/// chat that does not exist.
pub async fn reading(conn: &mut SqliteConnection, chat_id: i64, user_id: i64) -> Result<Reading, AppError> {
    match access(conn, chat_id, user_id).await {
        Ok(access) => return Ok(Reading { access, member: true }),
        Err(AppError::NotFound) => {}
        Err(other) => return Err(other),
    }
    let access: ChatAccess = sqlx::query_as(&format!(
        "SELECT c.id AS chat_id, c.school_id, c.kind, c.class_id, c.posting, NULL AS last_read_id,
                FALSE AS can_post, FALSE AS can_manage, {READ_ONLY} AS read_only, FALSE AS can_moderate
         FROM chats c
         WHERE c.id = ?1 AND c.kind <> 'direct'
           AND EXISTS (SELECT 1 FROM memberships m
                       WHERE m.school_id = c.school_id AND m.user_id = ?2 AND m.role = 'admin')"
    ))
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Reading { access, member: false })
}

/// Puts a system line into a chat's timeline and records its `message_created`, to publish to the
/// chat's members once the transaction commits.
pub async fn post_system(
    conn: &mut SqliteConnection,
    chat_id: i64,
    event: &SystemEvent,
    now: i64,
) -> Result<Frame, sqlx::Error> {
    let id = insert_system(&mut *conn, chat_id, event, now).await?;
    let message = load(conn, chat_id, Window::One(id), View::everyone(now))
        .await?
        .pop()
        .ok_or(sqlx::Error::RowNotFound)?;
    event_log::record(conn, Audience::Chat(chat_id), now, |seq| ServerEvent::MessageCreated { seq, message })
        .await
}

/// Stores a system line as data, with its Russian wording as the text: what clients that do not know
/// [`SystemEvent`] show. Nothing is announced (see [`post_system`]); the new message's id.
pub async fn insert_system(
    conn: &mut SqliteConnection,
    chat_id: i64,
    event: &SystemEvent,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let data = serde_json::to_string(event).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query_scalar(
        "INSERT INTO messages (chat_id, author_id, kind, body, system_event, created_at)
         VALUES (?, NULL, 'system', ?, ?, ?) RETURNING id",
    )
    .bind(chat_id)
    .bind(russian(event))
    .bind(data)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// A system event in Russian, as the server wrote system lines before they were data: the migration
/// `20261222120000_system_events.sql` recognises exactly these sentences.
pub fn russian(event: &SystemEvent) -> String {
    match event {
        SystemEvent::ChatCreated => "Чат создан".to_string(),
        SystemEvent::MemberJoined { name, .. } => format!("{name} — новый участник чата"),
        SystemEvent::MemberRemoved { name, .. } => format!("{name} — больше не участник чата"),
        SystemEvent::MemberLeft { name, .. } => format!("{name} покидает чат"),
        SystemEvent::ChatRenamed { title } => format!("Название чата изменено: «{title}»"),
        SystemEvent::DescriptionChanged => "Описание чата изменено".to_string(),
        SystemEvent::DescriptionRemoved => "Описание чата удалено".to_string(),
        SystemEvent::Unknown => String::new(),
    }
}

/// The event a message's `system_event` column holds: `None` but for a system line, and for an old one
/// that no sentence matched.
pub fn system_event(stored: Option<&str>) -> Option<SystemEvent> {
    stored.and_then(|json| serde_json::from_str(json).ok())
}

/// The kinds of message people write, as opposed to system events: they count as unread, and name
/// their author.
pub const WRITTEN_KINDS: &str = "('text', 'poll')";

/// Messages of others after `last_read_id` that count as unread: written ones, not deleted.
pub async fn unread_count(
    conn: &mut SqliteConnection,
    chat_id: i64,
    user_id: i64,
    last_read_id: Option<i64>,
) -> Result<u32, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM messages
         WHERE chat_id = ?1 AND id > ?2 AND kind IN {WRITTEN_KINDS} AND deleted_at IS NULL
           AND author_id IS NOT ?3"
    ))
    .bind(chat_id)
    .bind(last_read_id.unwrap_or(0))
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The ids of a chat's members: who its events go to.
pub async fn member_ids(conn: &mut SqliteConnection, chat_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM chat_members WHERE chat_id = ?")
        .bind(chat_id)
        .fetch_all(conn)
        .await
}

/// Who messages are loaded for, and when (a poll past its `closes_at` is closed).
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// The person whose [`Poll::my_choices`] to fill in; `None` for an event that goes to everyone.
    pub viewer: Option<i64>,
    /// Unix seconds, by the server's clock.
    pub now: i64,
}

impl View {
    /// As the person `user_id` sees messages over REST.
    pub fn of(user_id: i64, now: i64) -> View {
        View { viewer: Some(user_id), now }
    }

    /// As an event shows them to every member.
    pub fn everyone(now: i64) -> View {
        View { viewer: None, now }
    }
}

/// The message as an event carries it to every member: without anyone's own poll choices.
pub fn for_everyone(message: &Message) -> Message {
    let mut message = message.clone();
    if let Some(poll) = &mut message.poll {
        poll.my_choices.clear();
    }
    message
}

/// Which messages of a chat to load, oldest first in the result.
#[derive(Clone, Copy, Debug)]
pub enum Window {
    /// Up to `limit` messages older than `before` (the newest ones when `None`).
    Before { before: Option<i64>, limit: u32 },
    /// Up to `limit` messages newer than `after`.
    After { after: i64, limit: u32 },
    /// One message.
    One(i64),
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    chat_id: i64,
    author_id: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    teacher_verified: bool,
    kind: String,
    body: String,
    system_event: Option<String>,
    created_at: i64,
    client_id: Option<String>,
    edited_at: Option<i64>,
    deleted: bool,
    reply_id: Option<i64>,
    reply_kind: Option<String>,
    reply_body: Option<String>,
    reply_deleted: Option<bool>,
    reply_first_name: Option<String>,
    reply_last_name: Option<String>,
    #[sqlx(flatten)]
    reply_files: FilesPreview,
    ack_asked: Option<i64>,
}

fn select_messages() -> String {
    format!(
        "SELECT m.id, m.chat_id, m.author_id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = c.school_id AND v.user_id = m.author_id)
                    AS teacher_verified,
                m.kind, m.body, m.system_event, m.created_at, m.client_id, m.edited_at, m.deleted_at IS NOT NULL AS deleted,
                r.id AS reply_id, r.kind AS reply_kind, r.body AS reply_body,
                r.deleted_at IS NOT NULL AS reply_deleted, ru.first_name AS reply_first_name,
                ru.last_name AS reply_last_name, {reply_files}, m.ack_asked
         FROM messages m
         JOIN chats c ON c.id = m.chat_id
         LEFT JOIN users u ON u.id = m.author_id
         LEFT JOIN messages r ON r.id = m.reply_to_id
         LEFT JOIN users ru ON ru.id = r.author_id",
        reply_files = files::preview_columns("r"),
    )
}

/// What a list row or a reply quote says about a message's files (the columns of
/// [`files::preview_columns`]).
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct FilesPreview {
    pub file_count: i64,
    pub file_name: Option<String>,
    pub files_are_images: Option<bool>,
}

/// The messages of `chat_id` in `window`, oldest first, as `view` shows them: one query for the
/// messages, one for their reactions, one for their files, one for the members' read positions, and
/// when the window has any, two for polls and one for acknowledgements — however many messages there
/// are.
pub async fn load(
    conn: &mut SqliteConnection,
    chat_id: i64,
    window: Window,
    view: View,
) -> Result<Vec<Message>, sqlx::Error> {
    let select_messages = select_messages();
    let rows: Vec<MessageRow> = match window {
        Window::Before { before, limit } => {
            let mut rows: Vec<MessageRow> = sqlx::query_as(&format!(
                "{select_messages} WHERE m.chat_id = ?1 AND (?2 IS NULL OR m.id < ?2) ORDER BY m.id DESC LIMIT ?3"
            ))
            .bind(chat_id)
            .bind(before)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
            rows.reverse();
            rows
        }
        Window::After { after, limit } => {
            sqlx::query_as(&format!(
                "{select_messages} WHERE m.chat_id = ?1 AND m.id > ?2 ORDER BY m.id LIMIT ?3"
            ))
            .bind(chat_id)
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        Window::One(id) => {
            sqlx::query_as(&format!("{select_messages} WHERE m.chat_id = ?1 AND m.id = ?2"))
                .bind(chat_id)
                .bind(id)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id)) else {
        return Ok(Vec::new());
    };

    // Insertion order within a message is the order people chose in.
    let reactions: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT re.message_id, re.emoji, re.user_id FROM reactions re JOIN messages m ON m.id = re.message_id
         WHERE re.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY re.message_id, re.rowid",
    )
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut reactions_of: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    for (message_id, emoji, user_id) in reactions {
        reactions_of.entry(message_id).or_default().push((emoji, user_id));
    }

    let mut attachments = files::of_messages(conn, chat_id, first, last).await?;

    let mentioned: Vec<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT mm.message_id, mm.user_id, u.first_name, u.last_name
         FROM message_mentions mm JOIN messages m ON m.id = mm.message_id JOIN users u ON u.id = mm.user_id
         WHERE mm.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY mm.message_id, mm.user_id",
    )
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut mentions_of: HashMap<i64, Vec<Mention>> = HashMap::new();
    for (message_id, user_id, first_name, last_name) in mentioned {
        let name = display_name(first_name.as_deref(), last_name.as_deref());
        mentions_of.entry(message_id).or_default().push(Mention { user_id, name });
    }

    let positions: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT user_id, last_read_id FROM chat_members WHERE chat_id = ? AND last_read_id IS NOT NULL",
    )
    .bind(chat_id)
    .fetch_all(&mut *conn)
    .await?;
    let readers = Readers::new(positions);

    let mut polls = if rows.iter().any(|r| r.kind == "poll") {
        load_polls(conn, chat_id, first, last, view).await?
    } else {
        HashMap::new()
    };
    let mut acks = if rows.iter().any(|r| r.ack_asked.is_some()) {
        load_acks(conn, chat_id, first, last).await?
    } else {
        HashMap::new()
    };

    Ok(rows
        .into_iter()
        .map(|row| {
            let reactions = group_reactions(reactions_of.remove(&row.id).unwrap_or_default());
            let read_count = readers.count(row.id, row.author_id);
            let poll = polls.remove(&row.id);
            let ack = row.ack_asked.map(|asked| AckState {
                user_ids: acks.remove(&row.id).unwrap_or_default(),
                asked: u32::try_from(asked).unwrap_or(0),
            });
            let attachments = attachments.remove(&row.id).unwrap_or_default();
            let mentions = mentions_of.remove(&row.id).unwrap_or_default();
            message(row, reactions, read_count, poll, ack, attachments, mentions)
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PollOptionRow {
    message_id: i64,
    idx: i64,
    text: String,
    multiple: bool,
    anonymous: bool,
    closes_at: Option<i64>,
    closed_at: Option<i64>,
}

/// The polls among the messages `first..=last` of the chat, by message id: one query for the polls
/// with their options, one for the votes.
async fn load_polls(
    conn: &mut SqliteConnection,
    chat_id: i64,
    first: i64,
    last: i64,
    view: View,
) -> Result<HashMap<i64, Poll>, sqlx::Error> {
    let options: Vec<PollOptionRow> = sqlx::query_as(
        "SELECT o.message_id, o.idx, o.text, p.multiple, p.anonymous, p.closes_at, p.closed_at
         FROM poll_options o JOIN polls p ON p.message_id = o.message_id JOIN messages m ON m.id = o.message_id
         WHERE o.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY o.message_id, o.idx",
    )
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    // Insertion order within a poll is the order people chose in.
    let votes: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT v.message_id, v.idx, v.user_id FROM poll_votes v JOIN messages m ON m.id = v.message_id
         WHERE v.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY v.message_id, v.rowid",
    )
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut votes_of: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for (message_id, idx, user_id) in votes {
        votes_of.entry(message_id).or_default().push((idx, user_id));
    }

    let mut polls: HashMap<i64, Poll> = HashMap::new();
    for row in options {
        let poll = polls.entry(row.message_id).or_insert_with(|| Poll {
            options: Vec::new(),
            multiple: row.multiple,
            anonymous: row.anonymous,
            closes_at: row.closes_at.map(rfc3339),
            closed: row.closed_at.is_some() || row.closes_at.is_some_and(|at| at <= view.now),
            voter_count: 0,
            my_choices: Vec::new(),
        });
        let chosen = votes_of.get(&row.message_id).map(Vec::as_slice).unwrap_or_default();
        let voter_ids: Vec<i64> =
            chosen.iter().filter(|&&(idx, _)| idx == row.idx).map(|&(_, user_id)| user_id).collect();
        poll.options.push(PollOption {
            text: row.text,
            votes: u32::try_from(voter_ids.len()).unwrap_or(u32::MAX),
            voter_ids: if row.anonymous { Vec::new() } else { voter_ids },
        });
    }
    for (message_id, poll) in &mut polls {
        let chosen = votes_of.remove(message_id).unwrap_or_default();
        let mut voters: Vec<i64> = chosen.iter().map(|&(_, user_id)| user_id).collect();
        voters.sort_unstable();
        voters.dedup();
        poll.voter_count = u32::try_from(voters.len()).unwrap_or(u32::MAX);
        if let Some(viewer) = view.viewer {
            let mut mine: Vec<u32> = chosen
                .iter()
                .filter(|&&(_, user_id)| user_id == viewer)
                .filter_map(|&(idx, _)| u32::try_from(idx).ok())
                .collect();
            mine.sort_unstable();
            poll.my_choices = mine;
        }
    }
    Ok(polls)
}

/// Who acknowledged the announcements among the messages `first..=last` of the chat, in the order they
/// did, by message id.
async fn load_acks(
    conn: &mut SqliteConnection,
    chat_id: i64,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<i64>>, sqlx::Error> {
    let acks: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.message_id, a.user_id FROM acks a JOIN messages m ON m.id = a.message_id
         WHERE a.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY a.message_id, a.rowid",
    )
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let mut acks_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (message_id, user_id) in acks {
        acks_of.entry(message_id).or_default().push(user_id);
    }
    Ok(acks_of)
}

/// One message of a chat as `view` shows it; `not_found` when the chat has no such message.
pub async fn one(
    conn: &mut SqliteConnection,
    chat_id: i64,
    message_id: i64,
    view: View,
) -> Result<Message, AppError> {
    load(conn, chat_id, Window::One(message_id), view).await?.pop().ok_or(AppError::NotFound)
}

/// `messages.kind` as the API names it.
pub fn message_kind(stored: &str) -> MessageKind {
    match stored {
        "system" => MessageKind::System,
        "poll" => MessageKind::Poll,
        _ => MessageKind::Text,
    }
}

fn message(
    row: MessageRow,
    reactions: Vec<Reaction>,
    read_count: u32,
    poll: Option<Poll>,
    ack: Option<AckState>,
    attachments: Vec<FileInfo>,
    mentions: Vec<Mention>,
) -> Message {
    let kind = message_kind(&row.kind);
    let author = row.author_id.filter(|_| kind != MessageKind::System).map(|id| Author {
        id,
        name: display_name(row.first_name.as_deref(), row.last_name.as_deref()),
        teacher_verified: row.teacher_verified,
    });
    let reply_to = row.reply_id.map(|id| {
        let deleted = row.reply_deleted.unwrap_or(false);
        Quote {
            id,
            author_name: row
                .reply_kind
                .as_deref()
                .is_some_and(|k| message_kind(k) != MessageKind::System)
                .then(|| display_name(row.reply_first_name.as_deref(), row.reply_last_name.as_deref())),
            text: if deleted {
                String::new()
            } else {
                preview_with_files(row.reply_body.as_deref().unwrap_or_default(), &row.reply_files)
            },
            deleted,
        }
    });
    // A deleted message is a placeholder: nothing of what it said, answered or got stays visible.
    let (text, reply_to, reactions, poll, ack, attachments, mentions) = if row.deleted {
        (String::new(), None, Vec::new(), None, None, Vec::new(), Vec::new())
    } else {
        (row.body, reply_to, reactions, poll, ack, attachments, mentions)
    };
    Message {
        id: row.id,
        chat_id: row.chat_id,
        author,
        kind,
        text,
        created_at: rfc3339(row.created_at),
        client_id: row.client_id,
        edited_at: row.edited_at.map(rfc3339),
        deleted: row.deleted,
        reply_to,
        reactions,
        read_count,
        poll,
        ack,
        attachments,
        mentions,
        system: system_event(row.system_event.as_deref()),
    }
}

/// `(emoji, user_id)` pairs in the order chosen → one entry per emoji, in the order of [`REACTIONS`].
fn group_reactions(chosen: Vec<(String, i64)>) -> Vec<Reaction> {
    REACTIONS
        .iter()
        .filter_map(|&emoji| {
            let user_ids: Vec<i64> =
                chosen.iter().filter(|(e, _)| e == emoji).map(|&(_, user_id)| user_id).collect();
            (!user_ids.is_empty()).then(|| Reaction { emoji: emoji.to_string(), user_ids })
        })
        .collect()
}

/// The members' read positions, for counting who read a message.
struct Readers {
    /// Sorted.
    positions: Vec<i64>,
    by_person: HashMap<i64, i64>,
}

impl Readers {
    fn new(positions: Vec<(i64, i64)>) -> Readers {
        let by_person: HashMap<i64, i64> = positions.iter().copied().collect();
        let mut positions: Vec<i64> = positions.into_iter().map(|(_, last_read_id)| last_read_id).collect();
        positions.sort_unstable();
        Readers { positions, by_person }
    }

    /// Members other than the author whose read position reached `message_id`.
    fn count(&self, message_id: i64, author_id: Option<i64>) -> u32 {
        let reached = self.positions.len() - self.positions.partition_point(|&p| p < message_id);
        let author_reached = author_id.and_then(|a| self.by_person.get(&a)).is_some_and(|&p| p >= message_id);
        u32::try_from(reached - usize::from(author_reached)).unwrap_or(u32::MAX)
    }
}

/// The text on one line, cut to at most [`PREVIEW_MAX_CHARS`] characters with "…".
pub fn preview(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= PREVIEW_MAX_CHARS {
        return line;
    }
    let cut: String = line.chars().take(PREVIEW_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A message's preview ([`preview`]); one with files and no text names them instead: «🖼 Фото»,
/// «🖼 3 фото», «📎 Расписание.pdf», «📎 Расписание.pdf и ещё 2».
pub fn preview_with_files(text: &str, files: &FilesPreview) -> String {
    let text = preview(text);
    if !text.is_empty() || files.file_count == 0 {
        return text;
    }
    let count = files.file_count;
    if files.files_are_images == Some(true) {
        return if count == 1 { "🖼 Фото".to_string() } else { format!("🖼 {count} фото") };
    }
    let name = preview(files.file_name.as_deref().unwrap_or_default());
    if count == 1 { format!("📎 {name}") } else { format!("📎 {name} и ещё {}", count - 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_with_only_files_are_previewed_by_them() {
        let files = |file_count, name: &str, images| FilesPreview {
            file_count,
            file_name: Some(name.to_string()),
            files_are_images: Some(images),
        };
        assert_eq!(preview_with_files("Смотрите", &files(1, "a.pdf", false)), "Смотрите");
        assert_eq!(preview_with_files("", &FilesPreview::default()), "");
        assert_eq!(preview_with_files("", &files(1, "IMG_1.jpg", true)), "🖼 Фото");
        assert_eq!(preview_with_files(" ", &files(3, "IMG_1.jpg", true)), "🖼 3 фото");
        assert_eq!(preview_with_files("", &files(1, "Расписание.pdf", false)), "📎 Расписание.pdf");
        assert_eq!(preview_with_files("", &files(3, "IMG_1.jpg", false)), "📎 IMG_1.jpg и ещё 2");
    }

    #[test]
    fn previews_are_short_single_lines() {
        assert_eq!(preview("Добрый день!\n\nЗавтра  собрание."), "Добрый день! Завтра собрание.");
        let long = "я".repeat(150);
        let cut = preview(&long);
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.ends_with('…'));
        assert_eq!(preview(&"я".repeat(100)), "я".repeat(100));
    }

    #[test]
    fn reactions_follow_the_fixed_order_and_the_order_chosen() {
        let chosen =
            vec![("✅".to_string(), 3), ("👍".to_string(), 2), ("✅".to_string(), 1), ("👍".to_string(), 3)];
        let grouped = group_reactions(chosen);
        assert_eq!(
            grouped,
            [
                Reaction { emoji: "👍".into(), user_ids: vec![2, 3] },
                Reaction { emoji: "✅".into(), user_ids: vec![3, 1] },
            ]
        );
    }

    #[test]
    fn the_author_does_not_count_as_a_reader() {
        let readers = Readers::new(vec![(1, 10), (2, 5), (3, 12)]);
        assert_eq!(readers.count(10, Some(1)), 1);
        assert_eq!(readers.count(10, Some(2)), 2);
        assert_eq!(readers.count(5, None), 3);
        assert_eq!(readers.count(13, Some(3)), 0);
    }
}

//! Writing in a chat: sending, editing, deleting, reacting, reading. Each change is stored together
//! with its numbered event and then published to the chat's members ([`crate::event_log`]). Polls
//! ([`super::polls`]) and acknowledgements ([`super::acks`]) go through the same steps.

use api::{
    ApiError, EDIT_WINDOW_SECONDS, EditMessage, FieldError, FieldProblem, MESSAGE_MAX_ATTACHMENTS,
    MESSAGE_MAX_CHARS, MESSAGE_MAX_MENTIONS, Message, NewMessage, REACTIONS, ReadUpTo, ServerEvent,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;

use super::me::require_complete_profile;
use crate::AppState;
use crate::auth::session::Session;
use crate::db;
use crate::error::AppError;
use crate::event_log::{self, Audience};
use crate::extract;
use crate::hub::Frame;
use crate::timeline::{self, ChatAccess, View};

const CLIENT_ID_CHARS: std::ops::RangeInclusive<usize> = 8..=64;

/// Sends a message. Sending again with the same `client_id` (after a lost answer) returns the message
/// already made, with 200 instead of 201, and announces nothing a second time.
///
/// The text is stored as written, only without surrounding spaces and blank lines. The author's read
/// position moves to their message (`chat_read` to the author). Every member gets `message_created`.
///
/// With `ask_ack` (the chat's moderators only) the message is an announcement asking every member
/// but the author for «Ознакомлен»: `ack.asked` counts them now.
///
/// `attachments` are files the sender uploaded (`POST /files`), in the order to show them; with any,
/// the text may be empty. From then on every member of the chat may download them.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/messages",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = NewMessage,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The message was sent", body = Message),
        (status = 200, description = "A message with this `client_id` was already sent: here it is", body = Message),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`cannot_post`: a channel's reader, or a chat of an archived class; `forbidden`: `ask_ack` from someone who does not moderate the chat; `profile_incomplete`; `child_not_confirmed`: a young student whom no parent confirmed yet", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `client_id` (`required`, `too_long`, `invalid_characters`), `text` (`required` when there are no attachments, `too_long`), `reply_to` (`not_allowed`: not a message of this chat), `attachments` (`out_of_range`: more than `MESSAGE_MAX_ATTACHMENTS`; `not_allowed`: a file that is not the sender's, or twice)", body = ApiError),
    ),
)]
pub async fn send(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(new): extract::Json<NewMessage>,
) -> Result<(StatusCode, Json<Message>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, user_id).await?;
    if !access.can_post {
        return Err(AppError::CannotPost);
    }
    if new.ask_ack && !access.can_moderate {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    if let Some(problem) = client_id_problem(&new.client_id) {
        problems.push(field("client_id", problem));
    }
    let text = new.text.trim();
    if let Some(problem) = text_problem(text, !new.attachments.is_empty()) {
        problems.push(field("text", problem));
    }
    if let Some(problem) = attachments_problem(&mut tx, user_id, &new.attachments).await? {
        problems.push(field("attachments", problem));
    }
    if let Some(reply_to) = new.reply_to {
        let in_chat: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM messages WHERE id = ? AND chat_id = ?)")
                .bind(reply_to)
                .bind(chat_id)
                .fetch_one(&mut *tx)
                .await?;
        if !in_chat {
            problems.push(field("reply_to", FieldProblem::NotAllowed));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    if let Some(message) = sent_before(&mut tx, chat_id, user_id, &new.client_id, now).await? {
        return Ok((StatusCode::OK, Json(message)));
    }

    let ack_asked: Option<i64> = if new.ask_ack {
        Some(
            sqlx::query_scalar("SELECT COUNT(*) - 1 FROM chat_members WHERE chat_id = ?")
                .bind(chat_id)
                .fetch_one(&mut *tx)
                .await?,
        )
    } else {
        None
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (chat_id, author_id, kind, body, created_at, client_id, reply_to_id, ack_asked)
         VALUES (?, ?, 'text', ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(text)
    .bind(now)
    .bind(&new.client_id)
    .bind(new.reply_to)
    .bind(ack_asked)
    .fetch_one(&mut *tx)
    .await?;
    for (position, file_id) in new.attachments.iter().enumerate() {
        sqlx::query("INSERT INTO message_files (message_id, file_id, position) VALUES (?, ?, ?)")
            .bind(id)
            .bind(file_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
    }
    record_mentions(&mut tx, chat_id, user_id, id, &new.mentions).await?;
    let message = publish_new(&state, tx, chat_id, user_id, id, now).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Stores whom the message mentions: the chat's members among `mentions`, not the author, each once,
/// at most [`MESSAGE_MAX_MENTIONS`]. Anyone else is dropped without an error: a person who left the
/// chat while the message was written is no reason to refuse it.
async fn record_mentions(
    conn: &mut SqliteConnection,
    chat_id: i64,
    author_id: i64,
    message_id: i64,
    mentions: &[i64],
) -> Result<(), sqlx::Error> {
    let mut ids: Vec<i64> = Vec::new();
    for &id in mentions {
        if id != author_id && !ids.contains(&id) && ids.len() < MESSAGE_MAX_MENTIONS {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO message_mentions (message_id, user_id)
         SELECT ?1, cm.user_id FROM chat_members cm
         WHERE cm.chat_id = ?2 AND cm.user_id IN (SELECT value FROM json_each(?3))",
    )
    .bind(message_id)
    .bind(chat_id)
    .bind(serde_json::to_string(&ids).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(())
}

/// The message the person already sent to the chat with this `client_id` (their client retrying after
/// a lost answer), if any.
pub(super) async fn sent_before(
    conn: &mut SqliteConnection,
    chat_id: i64,
    user_id: i64,
    client_id: &str,
    now: i64,
) -> Result<Option<Message>, AppError> {
    let sent: Option<i64> =
        sqlx::query_scalar("SELECT id FROM messages WHERE chat_id = ? AND author_id = ? AND client_id = ?")
            .bind(chat_id)
            .bind(user_id)
            .bind(client_id)
            .fetch_optional(&mut *conn)
            .await?;
    match sent {
        Some(id) => Ok(Some(timeline::one(conn, chat_id, id, View::of(user_id, now)).await?)),
        None => Ok(None),
    }
}

/// For the message the person just wrote: moves their read position to it, records `message_created`
/// and their `chat_read`, commits, and tells the chat's members.
pub(super) async fn publish_new(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    chat_id: i64,
    user_id: i64,
    message_id: i64,
    now: i64,
) -> Result<Message, AppError> {
    sqlx::query("UPDATE chat_members SET last_read_id = ? WHERE chat_id = ? AND user_id = ?")
        .bind(message_id)
        .bind(chat_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let message = timeline::one(&mut tx, chat_id, message_id, View::of(user_id, now)).await?;
    let created = event_log::record(&mut tx, Audience::Chat(chat_id), now, |seq| {
        ServerEvent::MessageCreated { seq, message: timeline::for_everyone(&message) }
    })
    .await?;
    let read = read_event(&mut tx, chat_id, user_id, message_id, now).await?;
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    tx.commit().await?;
    state.hub.publish(members, &created);
    state.hub.publish([user_id], &read);
    Ok(message)
}

/// Edits the text of the person's own message, within `EDIT_WINDOW_SECONDS` (24 hours) of sending it.
/// Every member gets `message_updated`; the same text again changes nothing. A poll's question stays as
/// asked: people voted on it.
#[utoipa::path(
    patch,
    path = "/api/v1/chats/{id}/messages/{message_id}",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id")),
    request_body = EditMessage,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The message as it is now", body = Message),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`not_your_message`: someone else's message, a system event, a poll or a deleted message; `edit_window_passed`; `cannot_post`: a chat of an archived class; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or message, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `text` (`required`, `too_long`)", body = ApiError),
    ),
)]
pub async fn edit(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
    extract::Json(edit): extract::Json<EditMessage>,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    timeline::access(&mut tx, chat_id, session.user_id).await?.require_writable()?;
    let stored = stored(&mut tx, chat_id, message_id).await?;
    if stored.author_id != Some(session.user_id) || stored.kind != "text" || stored.deleted {
        return Err(AppError::NotYourMessage);
    }
    if now - stored.created_at > i64::from(EDIT_WINDOW_SECONDS) {
        return Err(AppError::EditWindowPassed);
    }
    let text = edit.text.trim();
    let has_attachments: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM message_files WHERE message_id = ?)")
            .bind(message_id)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(problem) = text_problem(text, has_attachments) {
        return Err(AppError::Validation(vec![field("text", problem)]));
    }
    if text == stored.body {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(session.user_id, now)).await?));
    }
    sqlx::query("UPDATE messages SET body = ?, edited_at = ? WHERE id = ?")
        .bind(text)
        .bind(now)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    // A name taken out of the text is no longer a mention (nor an «@» in that person's chat list).
    if let Some(mentions) = &edit.mentions {
        sqlx::query("DELETE FROM message_mentions WHERE message_id = ?")
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        record_mentions(&mut tx, chat_id, session.user_id, message_id, mentions).await?;
    }
    Ok(Json(publish_update(&state, tx, chat_id, message_id, session.user_id, now).await?))
}

/// Deletes a message or a poll: its author may, and so may the chat's moderators (`Chat::can_moderate`).
/// The message stays as a placeholder with empty text, no poll and no acknowledgements; every member
/// gets `message_updated`. Deleting it again changes nothing.
#[utoipa::path(
    delete,
    path = "/api/v1/chats/{id}/messages/{message_id}",
    operation_id = "delete_message",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The message as it is now: `deleted`", body = Message),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: someone else's message and the person does not moderate the chat, or a system event; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or message, or the person is not a member", body = ApiError),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, session.user_id).await?;
    let stored = stored(&mut tx, chat_id, message_id).await?;
    if stored.kind == "system" || (stored.author_id != Some(session.user_id) && !access.can_moderate) {
        return Err(AppError::Forbidden);
    }
    if stored.deleted {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(session.user_id, now)).await?));
    }
    sqlx::query("UPDATE messages SET deleted_at = ? WHERE id = ?")
        .bind(now)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    Ok(Json(publish_update(&state, tx, chat_id, message_id, session.user_id, now).await?))
}

/// Adds the person's reaction to a message or a poll (channel readers may react too). Every member gets
/// `message_updated`; adding it again changes nothing.
#[utoipa::path(
    put,
    path = "/api/v1/chats/{id}/messages/{message_id}/reactions/{emoji}",
    tag = "chats",
    params(
        ("id" = i64, Path, description = "Chat id"),
        ("message_id" = i64, Path, description = "Message id"),
        ("emoji" = String, Path, description = "One of `REACTIONS`, URL-encoded"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The message as it is now", body = Message),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: a deleted message or a system event; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or message, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `emoji` (`not_allowed`: not one of `REACTIONS`)", body = ApiError),
    ),
)]
pub async fn react(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id, emoji)): extract::Path<(i64, i64, String)>,
) -> Result<Json<Message>, AppError> {
    set_reaction(state, session, chat_id, message_id, emoji, true).await
}

/// Takes back the person's reaction. Every member gets `message_updated`; taking back a reaction that
/// is not there changes nothing.
#[utoipa::path(
    delete,
    path = "/api/v1/chats/{id}/messages/{message_id}/reactions/{emoji}",
    tag = "chats",
    params(
        ("id" = i64, Path, description = "Chat id"),
        ("message_id" = i64, Path, description = "Message id"),
        ("emoji" = String, Path, description = "One of `REACTIONS`, URL-encoded"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The message as it is now", body = Message),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: a deleted message or a system event; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or message, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `emoji` (`not_allowed`: not one of `REACTIONS`)", body = ApiError),
    ),
)]
pub async fn unreact(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id, emoji)): extract::Path<(i64, i64, String)>,
) -> Result<Json<Message>, AppError> {
    set_reaction(state, session, chat_id, message_id, emoji, false).await
}

async fn set_reaction(
    state: AppState,
    session: Session,
    chat_id: i64,
    message_id: i64,
    emoji: String,
    on: bool,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    timeline::access(&mut tx, chat_id, session.user_id).await?;
    let stored = stored(&mut tx, chat_id, message_id).await?;
    if !REACTIONS.contains(&emoji.as_str()) {
        return Err(AppError::Validation(vec![field("emoji", FieldProblem::NotAllowed)]));
    }
    if stored.kind == "system" || stored.deleted {
        return Err(AppError::Forbidden);
    }
    let changed = if on {
        sqlx::query(
            "INSERT OR IGNORE INTO reactions (message_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(message_id)
        .bind(session.user_id)
        .bind(&emoji)
        .bind(now)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?")
            .bind(message_id)
            .bind(session.user_id)
            .bind(&emoji)
            .execute(&mut *tx)
            .await?
    };
    if changed.rows_affected() == 0 {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(session.user_id, now)).await?));
    }
    Ok(Json(publish_update(&state, tx, chat_id, message_id, session.user_id, now).await?))
}

/// Moves the person's read position in a chat forward to `message_id`.
///
/// Moving back changes nothing; a message that is not the chat's (another chat's, or none) is
/// `not_found`. When it moves, the person's sockets (all their devices) get `chat_read` with the new
/// unread count. Others' `read_count`s change with it, but nobody is told live: they see the new
/// counts the next time they load the timeline.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/read",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = ReadUpTo,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The read position is at `message_id` or beyond"),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, the person is not a member, or `message_id` is not a message of this chat", body = ApiError),
        (status = 422, description = "`validation`: `message_id` (`out_of_range`: not positive)", body = ApiError),
    ),
)]
pub async fn read(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(read): extract::Json<ReadUpTo>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    if read.message_id < 1 {
        return Err(AppError::Validation(vec![field("message_id", FieldProblem::OutOfRange)]));
    }
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let ChatAccess { last_read_id, .. } = timeline::access(&mut tx, chat_id, user_id).await?;
    // Ids are shared by every chat: one of another chat (or school) would move this chat's position
    // past messages the person never saw.
    let in_chat: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM messages WHERE id = ? AND chat_id = ?)")
            .bind(read.message_id)
            .bind(chat_id)
            .fetch_one(&mut *tx)
            .await?;
    if !in_chat {
        return Err(AppError::NotFound);
    }
    let target = read.message_id;
    if last_read_id.is_some_and(|last| last >= target) {
        return Ok(StatusCode::NO_CONTENT);
    }
    sqlx::query("UPDATE chat_members SET last_read_id = ? WHERE chat_id = ? AND user_id = ?")
        .bind(target)
        .bind(chat_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let frame = read_event(&mut tx, chat_id, user_id, target, now).await?;
    tx.commit().await?;
    state.hub.publish([user_id], &frame);
    Ok(StatusCode::NO_CONTENT)
}

/// A message as stored, for deciding who may change it.
#[derive(sqlx::FromRow)]
pub(super) struct Stored {
    pub author_id: Option<i64>,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
    pub deleted: bool,
    /// Set for an announcement asking for «Ознакомлен».
    pub ack_asked: Option<i64>,
}

/// The message of the chat; `not_found` when the chat has no such message.
pub(super) async fn stored(
    conn: &mut SqliteConnection,
    chat_id: i64,
    message_id: i64,
) -> Result<Stored, AppError> {
    sqlx::query_as(
        "SELECT author_id, kind, body, created_at, deleted_at IS NOT NULL AS deleted, ack_asked
         FROM messages WHERE id = ? AND chat_id = ?",
    )
    .bind(message_id)
    .bind(chat_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// Records `message_updated` for the message as it now is, commits, and tells the chat's members.
/// Returns the message as the person `user_id` who changed it sees it.
pub(super) async fn publish_update(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    chat_id: i64,
    message_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Message, AppError> {
    let message = timeline::one(&mut tx, chat_id, message_id, View::of(user_id, now)).await?;
    let frame = event_log::record(&mut tx, Audience::Chat(chat_id), now, |seq| ServerEvent::MessageUpdated {
        seq,
        message: timeline::for_everyone(&message),
    })
    .await?;
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    tx.commit().await?;
    state.hub.publish(members, &frame);
    Ok(message)
}

/// Records `chat_read` for the person's new read position.
async fn read_event(
    conn: &mut SqliteConnection,
    chat_id: i64,
    user_id: i64,
    last_read_id: i64,
    now: i64,
) -> Result<Frame, sqlx::Error> {
    let unread_count = timeline::unread_count(conn, chat_id, user_id, Some(last_read_id)).await?;
    event_log::record(conn, Audience::Person(user_id), now, |seq| ServerEvent::ChatRead {
        seq,
        chat_id,
        last_read_id,
        unread_count,
    })
    .await
}

/// What is wrong with the files to attach: too many, one twice, or one that is not the sender's.
async fn attachments_problem(
    conn: &mut SqliteConnection,
    user_id: i64,
    file_ids: &[i64],
) -> Result<Option<FieldProblem>, sqlx::Error> {
    if file_ids.len() > MESSAGE_MAX_ATTACHMENTS {
        return Ok(Some(FieldProblem::OutOfRange));
    }
    let mut distinct = file_ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < file_ids.len() {
        return Ok(Some(FieldProblem::NotAllowed));
    }
    if file_ids.is_empty() {
        return Ok(None);
    }
    let ids = serde_json::to_string(file_ids).expect("a list of numbers always serialises");
    let owned: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM files WHERE owner_id = ? AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(user_id)
    .bind(ids)
    .fetch_one(conn)
    .await?;
    Ok((usize::try_from(owned).ok() != Some(file_ids.len())).then_some(FieldProblem::NotAllowed))
}

pub(super) fn field(name: &str, problem: FieldProblem) -> FieldError {
    FieldError { field: name.into(), problem }
}

pub(super) fn client_id_problem(client_id: &str) -> Option<FieldProblem> {
    if client_id.is_empty() {
        Some(FieldProblem::Required)
    } else if client_id.len() > *CLIENT_ID_CHARS.end() {
        Some(FieldProblem::TooLong)
    } else if client_id.len() < *CLIENT_ID_CHARS.start()
        || !client_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some(FieldProblem::InvalidCharacters)
    } else {
        None
    }
}

/// `text` is already trimmed; it may be empty only when the message carries files.
fn text_problem(text: &str, has_attachments: bool) -> Option<FieldProblem> {
    if text.is_empty() && !has_attachments {
        Some(FieldProblem::Required)
    } else if text.chars().count() > MESSAGE_MAX_CHARS {
        Some(FieldProblem::TooLong)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_8_to_64_safe_characters() {
        assert_eq!(client_id_problem("a1B2-c3_d"), None);
        assert_eq!(client_id_problem(&"x".repeat(64)), None);
        assert_eq!(client_id_problem(""), Some(FieldProblem::Required));
        assert_eq!(client_id_problem("short"), Some(FieldProblem::InvalidCharacters));
        assert_eq!(client_id_problem("has space in it"), Some(FieldProblem::InvalidCharacters));
        assert_eq!(client_id_problem("кириллица-id"), Some(FieldProblem::InvalidCharacters));
        assert_eq!(client_id_problem(&"x".repeat(65)), Some(FieldProblem::TooLong));
    }

    #[test]
    fn texts_count_characters_not_bytes() {
        assert_eq!(text_problem(&"я".repeat(MESSAGE_MAX_CHARS), false), None);
        assert_eq!(text_problem(&"я".repeat(MESSAGE_MAX_CHARS + 1), true), Some(FieldProblem::TooLong));
        assert_eq!(text_problem("", false), Some(FieldProblem::Required));
        assert_eq!(text_problem("", true), None);
    }
}

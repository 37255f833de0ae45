use std::collections::HashSet;

use api::{
    ApiError, CHAT_DESCRIPTION_MAX_CHARS, CHAT_TITLE_MAX_CHARS, Chat, ChatChanges, ChatKind, ChatSummary,
    FieldProblem, MessagePage, MessagePreview, NewChat, NewDirectChat, ServerEvent, SystemEvent,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use sqlx::SqliteConnection;

use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::access::{self, Standing};
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::contacts;
use crate::db;
use crate::error::AppError;
use crate::event_log::{self, Audience};
use crate::extract;
use crate::hub::Frame;
use crate::people::{self, display_name};
use crate::timeline::{self, View, Window, preview_with_files};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 100;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    school_id: i64,
    kind: String,
    title: String,
    created_at: i64,
    message_kind: Option<String>,
    body: Option<String>,
    system_event: Option<String>,
    message_at: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    peer_first_name: Option<String>,
    peer_last_name: Option<String>,
    unread_count: i64,
    unread_mentions: i64,
    #[sqlx(flatten)]
    files: timeline::FilesPreview,
}

/// The chats and channels the person is a member of, most recently active first, with how many of
/// their messages are unread. Deleted messages neither show as the last message nor count. A direct
/// chat is called after the other person.
#[utoipa::path(
    get,
    path = "/api/v1/chats",
    operation_id = "list_chats",
    tag = "chats",
    security(("session" = [])),
    responses(
        (status = 200, description = "The person's chats", body = Vec<ChatSummary>),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<ChatSummary>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(summaries(&mut conn, session.user_id, None).await?))
}

/// The person's rows of the chat list: all of them, or only the chat `only`.
async fn summaries(
    conn: &mut SqliteConnection,
    user_id: i64,
    only: Option<i64>,
) -> Result<Vec<ChatSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT c.id, c.school_id, c.kind, c.title, c.created_at,
                m.kind AS message_kind, m.body, m.system_event, m.created_at AS message_at,
                u.first_name, u.last_name,
                pu.first_name AS peer_first_name, pu.last_name AS peer_last_name, {files},
                (SELECT COUNT(*) FROM messages um
                 WHERE um.chat_id = c.id AND um.id > IFNULL(cm.last_read_id, 0) AND um.kind IN {WRITTEN_KINDS}
                   AND um.deleted_at IS NULL AND um.author_id IS NOT cm.user_id) AS unread_count,
                (SELECT COUNT(*) FROM message_mentions mm JOIN messages um ON um.id = mm.message_id
                 WHERE mm.user_id = cm.user_id AND mm.message_id > IFNULL(cm.last_read_id, 0)
                   AND um.chat_id = c.id AND um.deleted_at IS NULL) AS unread_mentions
         FROM chat_members cm
         JOIN chats c ON c.id = cm.chat_id
         LEFT JOIN messages m
             ON m.id = (SELECT MAX(id) FROM messages WHERE chat_id = c.id AND deleted_at IS NULL)
         LEFT JOIN users u ON u.id = m.author_id
         LEFT JOIN chat_members pm ON c.kind = 'direct' AND pm.chat_id = c.id AND pm.user_id <> cm.user_id
         LEFT JOIN users pu ON pu.id = pm.user_id
         WHERE cm.user_id = ?1 AND (?2 IS NULL OR c.id = ?2)
         ORDER BY COALESCE(m.created_at, c.created_at) DESC, c.id DESC",
        WRITTEN_KINDS = timeline::WRITTEN_KINDS,
        files = crate::files::preview_columns("m"),
    ))
    .bind(user_id)
    .bind(only)
    .fetch_all(conn)
    .await?;

    let chats = rows
        .into_iter()
        .map(|row| {
            let system = row
                .message_kind
                .as_deref()
                .is_some_and(|k| timeline::message_kind(k) == api::MessageKind::System);
            let last_message = row.body.map(|body| MessagePreview {
                author_name: (!system)
                    .then(|| display_name(row.first_name.as_deref(), row.last_name.as_deref())),
                text: preview_with_files(&body, &row.files),
                system: timeline::system_event(row.system_event.as_deref()),
            });
            let kind = ChatKind::parse(&row.kind);
            ChatSummary {
                id: row.id,
                school_id: row.school_id,
                kind,
                title: title(kind, row.title, row.peer_first_name, row.peer_last_name),
                last_message,
                last_activity_at: rfc3339(row.message_at.unwrap_or(row.created_at)),
                unread_count: u32::try_from(row.unread_count).unwrap_or(u32::MAX),
                unread_mentions: u32::try_from(row.unread_mentions).unwrap_or(u32::MAX),
            }
        })
        .collect();
    Ok(chats)
}

/// The person's row of one chat they are a member of.
pub(super) async fn summary(
    conn: &mut SqliteConnection,
    user_id: i64,
    chat_id: i64,
) -> Result<ChatSummary, AppError> {
    summaries(conn, user_id, Some(chat_id)).await?.pop().ok_or(AppError::NotFound)
}

/// What the person sees as a chat's title: a direct chat is called after the other person (its stored
/// title names both, for when the other one is gone).
fn title(
    kind: ChatKind,
    stored: String,
    peer_first_name: Option<String>,
    peer_last_name: Option<String>,
) -> String {
    if kind == ChatKind::Direct && (peer_first_name.is_some() || peer_last_name.is_some()) {
        display_name(peer_first_name.as_deref(), peer_last_name.as_deref())
    } else {
        stored
    }
}

#[derive(sqlx::FromRow)]
struct ChatRow {
    school_name: String,
    title: String,
    description: Option<String>,
    member_count: i64,
    peer_first_name: Option<String>,
    peer_last_name: Option<String>,
}

/// A chat as shown above its timeline, with what the person may do there and where they stopped
/// reading.
#[utoipa::path(
    get,
    path = "/api/v1/chats/{id}",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The chat", body = Chat),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person may not read it (not a member, nor an administrator of its school; a direct chat only its two members read)", body = ApiError),
    ),
)]
pub async fn chat(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<Chat>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(load_chat(&mut conn, id, session.user_id).await?))
}

/// A chat as the person sees it; `not_found` when they may not read it (see [`timeline::reading`]).
pub(super) async fn load_chat(conn: &mut SqliteConnection, id: i64, user_id: i64) -> Result<Chat, AppError> {
    let timeline::Reading { access, member } = timeline::reading(conn, id, user_id).await?;
    let row: ChatRow = sqlx::query_as(
        "SELECT s.name AS school_name, c.title, c.description,
                (SELECT COUNT(*) FROM chat_members WHERE chat_id = c.id) AS member_count,
                pu.first_name AS peer_first_name, pu.last_name AS peer_last_name
         FROM chats c JOIN schools s ON s.id = c.school_id
         LEFT JOIN chat_members pm ON c.kind = 'direct' AND pm.chat_id = c.id AND pm.user_id <> ?2
         LEFT JOIN users pu ON pu.id = pm.user_id
         WHERE c.id = ?1",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    let unread_count =
        if member { timeline::unread_count(conn, id, user_id, access.last_read_id).await? } else { 0 };
    let pinned = super::pins::pinned(conn, id, user_id).await?;
    Ok(Chat {
        id,
        school_id: access.school_id,
        school_name: row.school_name,
        kind: access.kind(),
        title: title(access.kind(), row.title, row.peer_first_name, row.peer_last_name),
        description: row.description,
        member_count: u32::try_from(row.member_count).unwrap_or(u32::MAX),
        can_post: access.can_post,
        can_moderate: access.can_moderate,
        last_read_id: access.last_read_id,
        unread_count,
        posting: access.posting(),
        can_manage: access.can_manage,
        can_leave: member && access.can_leave(),
        class_id: access.class_id,
        pinned,
        can_pin: access.can_moderate || access.can_manage,
        is_member: member,
    })
}

/// Starts a chat (`NewChat` says who may start which): the creator is its first member and a manager
/// of it; its timeline starts with «Чат создан». The creator and every member get
/// `memberships_changed`.
///
/// Teachers start subject and group chats of a class they teach, with people of that class and the
/// school's staff; administrators also channels, with or without a class, with anyone of the school.
/// In a channel only the school's administrators post.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/chats",
    operation_id = "create_chat",
    tag = "chats",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = NewChat,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new chat, as the creator's chat list shows it", body = ChatSummary),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: neither an administrator nor a teacher of the school, or a teacher of another class; `child_not_confirmed`: a young student whom no parent confirmed yet", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `kind` (`not_allowed` for the person's role), `title` (`required`, `too_long`), `description` (`too_long`), `class_id` (`required` for a teacher, `not_allowed`: not a class of the school), `member_ids` (`not_allowed`: someone the person may not add)", body = ApiError),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(new): extract::Json<NewChat>,
) -> Result<(StatusCode, Json<ChatSummary>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let standing = Standing::load(&state.db, school_id, user_id).await?;
    standing.require_staff()?;
    let admin = standing.is_admin();
    let admins = access::admins(&state.db, school_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;

    let mut problems = Vec::new();
    let class_in_school = match new.class_id {
        Some(class_id) => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM classes WHERE id = ? AND school_id = ? AND kind = 'class')",
            )
            .bind(class_id)
            .bind(school_id)
            .fetch_one(&mut *tx)
            .await?
        }
        None => false,
    };
    if class_in_school && !admin && !standing.teaches(new.class_id) {
        return Err(AppError::Forbidden);
    }
    let kinds: &[ChatKind] = if admin {
        &[ChatKind::Subject, ChatKind::Group, ChatKind::Channel]
    } else {
        &[ChatKind::Subject, ChatKind::Group]
    };
    if !kinds.contains(&new.kind) {
        problems.push(field("kind", FieldProblem::NotAllowed));
    }
    let title = new.title.trim();
    if let Some(problem) = title_problem(title) {
        problems.push(field("title", problem));
    }
    let description = new.description.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if description.is_some_and(|d| d.chars().count() > CHAT_DESCRIPTION_MAX_CHARS) {
        problems.push(field("description", FieldProblem::TooLong));
    }
    if new.class_id.is_some() && !class_in_school {
        problems.push(field("class_id", FieldProblem::NotAllowed));
    } else if new.class_id.is_none() && !admin {
        problems.push(field("class_id", FieldProblem::Required));
    }
    let candidates: HashSet<i64> =
        contacts::candidate_ids(&mut tx, &standing, new.class_id).await?.into_iter().collect();
    let mut member_ids: Vec<i64> = new.member_ids.iter().copied().filter(|&id| id != user_id).collect();
    member_ids.sort_unstable();
    member_ids.dedup();
    if member_ids.iter().any(|id| !candidates.contains(id)) {
        problems.push(field("member_ids", FieldProblem::NotAllowed));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let chat_id: i64 = sqlx::query_scalar(
        "INSERT INTO chats (school_id, class_id, kind, title, description, created_at, posting, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(school_id)
    .bind(new.class_id)
    .bind(new.kind.as_str())
    .bind(title)
    .bind(description)
    .bind(now)
    .bind(timeline::posting_str(new.posting))
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    // Before anyone joins, so that it is read for everyone: only what is written next is new.
    let created = timeline::post_system(&mut tx, chat_id, &SystemEvent::ChatCreated, now).await?;
    for member in std::iter::once(user_id).chain(member_ids) {
        let can_post = new.kind != ChatKind::Channel || admins.contains(&member);
        db::join_chat(&mut *tx, chat_id, member, can_post, now).await?;
    }
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    let chat = summary(&mut tx, user_id, chat_id).await?;
    tx.commit().await?;
    state.hub.publish(members.iter().copied(), &created);
    state.hub.send_all(members, &ServerEvent::MembershipsChanged);
    Ok((StatusCode::CREATED, Json(chat)))
}

/// The 1:1 of the person and `user_id` in this school: the one there is (200), or a new one (201) if
/// safe mode lets the person write to them (see `Contact`). A new chat starts empty; both people get
/// `memberships_changed`.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/direct",
    tag = "chats",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = NewDirectChat,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The 1:1 there already is", body = ChatSummary),
        (status = 201, description = "A new 1:1", body = ChatSummary),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: safe mode does not let the person write to them; `child_not_confirmed`: a young student whom no parent confirmed yet", body = ApiError),
        (status = 404, description = "`not_found`: no such school, the person is not a member, `user_id` is not a member of it, or is the person themselves", body = ApiError),
    ),
)]
pub async fn direct(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(new): extract::Json<NewDirectChat>,
) -> Result<(StatusCode, Json<ChatSummary>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let other_id = new.user_id;
    let standing = Standing::load(&state.db, school_id, user_id).await?;
    if other_id == user_id {
        return Err(AppError::NotFound);
    }
    // One write transaction from the look-up to the insert: two requests at once make one chat.
    let mut tx = db::begin_write(&state.db).await?;
    let other_in_school: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM memberships WHERE school_id = ? AND user_id = ?)")
            .bind(school_id)
            .bind(other_id)
            .fetch_one(&mut *tx)
            .await?;
    if !other_in_school {
        return Err(AppError::NotFound);
    }
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT c.id FROM chats c
         JOIN chat_members mine ON mine.chat_id = c.id AND mine.user_id = ?2
         JOIN chat_members theirs ON theirs.chat_id = c.id AND theirs.user_id = ?3
         WHERE c.school_id = ?1 AND c.kind = 'direct'
         ORDER BY c.id LIMIT 1",
    )
    .bind(school_id)
    .bind(user_id)
    .bind(other_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(chat_id) = existing {
        return Ok((StatusCode::OK, Json(summary(&mut tx, user_id, chat_id).await?)));
    }
    if !contacts::direct_ids(&mut tx, &standing).await?.contains(&other_id) {
        return Err(AppError::Forbidden);
    }

    let names =
        format!("{} и {}", people::name(&mut *tx, user_id).await?, people::name(&mut *tx, other_id).await?);
    let now = state.clock.unix();
    let chat_id: i64 = sqlx::query_scalar(
        "INSERT INTO chats (school_id, kind, title, created_at, created_by)
         VALUES (?, 'direct', ?, ?, ?) RETURNING id",
    )
    .bind(school_id)
    .bind(names)
    .bind(now)
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    for member in [user_id, other_id] {
        db::join_chat(&mut *tx, chat_id, member, true, now).await?;
    }
    let chat = summary(&mut tx, user_id, chat_id).await?;
    tx.commit().await?;
    state.hub.send_all([user_id, other_id], &ServerEvent::MembershipsChanged);
    Ok((StatusCode::CREATED, Json(chat)))
}

/// Changes a chat's title, description or posting rule (a manager's right; what is absent stays). A new
/// title puts «Название чата изменено: «…»» in the timeline, a new description «Описание чата
/// изменено» (or «Описание чата удалено»); any change sends `chat_updated` to every member. Nothing
/// new changes nothing and announces nothing.
#[utoipa::path(
    patch,
    path = "/api/v1/chats/{id}",
    operation_id = "update_chat",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = ChatChanges,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The chat as it is now", body = Chat),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: the person does not manage the chat (nobody manages a direct chat)", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `title` (`required`, `too_long`), `description` (`too_long`)", body = ApiError),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(changes): extract::Json<ChatChanges>,
) -> Result<Json<Chat>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, user_id).await?;
    if !access.can_manage {
        return Err(AppError::Forbidden);
    }
    let mut problems = Vec::new();
    let title = changes.title.as_deref().map(str::trim);
    if let Some(problem) = title.and_then(title_problem) {
        problems.push(field("title", problem));
    }
    let description = changes.description.as_deref().map(str::trim);
    if description.is_some_and(|d| d.chars().count() > CHAT_DESCRIPTION_MAX_CHARS) {
        problems.push(field("description", FieldProblem::TooLong));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let (stored_title, stored_description): (String, Option<String>) =
        sqlx::query_as("SELECT title, description FROM chats WHERE id = ?")
            .bind(chat_id)
            .fetch_one(&mut *tx)
            .await?;
    let mut frames = Vec::new();
    if let Some(title) = title.filter(|&title| title != stored_title) {
        sqlx::query("UPDATE chats SET title = ? WHERE id = ?")
            .bind(title)
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
        let renamed = SystemEvent::ChatRenamed { title: title.to_string() };
        frames.push(timeline::post_system(&mut tx, chat_id, &renamed, now).await?);
    }
    let description = description.map(|d| Some(d).filter(|d| !d.is_empty()));
    if let Some(description) = description.filter(|&d| d != stored_description.as_deref()) {
        sqlx::query("UPDATE chats SET description = ? WHERE id = ?")
            .bind(description)
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
        let changed = if description.is_some() {
            SystemEvent::DescriptionChanged
        } else {
            SystemEvent::DescriptionRemoved
        };
        frames.push(timeline::post_system(&mut tx, chat_id, &changed, now).await?);
    }
    let posting_changed = changes.posting.is_some_and(|posting| posting != access.posting());
    if let Some(posting) = changes.posting.filter(|_| posting_changed) {
        sqlx::query("UPDATE chats SET posting = ? WHERE id = ?")
            .bind(timeline::posting_str(posting))
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
    }
    if frames.is_empty() && !posting_changed {
        return Ok(Json(load_chat(&mut tx, chat_id, user_id).await?));
    }
    frames.push(chat_updated(&mut tx, chat_id, now).await?);
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    let chat = load_chat(&mut tx, chat_id, user_id).await?;
    tx.commit().await?;
    for frame in &frames {
        state.hub.publish(members.iter().copied(), frame);
    }
    Ok(Json(chat))
}

/// Records `chat_updated` for the chat's members.
pub(super) async fn chat_updated(
    conn: &mut SqliteConnection,
    chat_id: i64,
    now: i64,
) -> Result<Frame, sqlx::Error> {
    event_log::record(conn, Audience::Chat(chat_id), now, |seq| ServerEvent::ChatUpdated { seq, chat_id })
        .await
}

/// `title` is already trimmed.
fn title_problem(title: &str) -> Option<FieldProblem> {
    if title.is_empty() {
        Some(FieldProblem::Required)
    } else if title.chars().count() > CHAT_TITLE_MAX_CHARS {
        Some(FieldProblem::TooLong)
    } else {
        None
    }
}

/// `?before=`, `?after=` and `?limit=` of a timeline page.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Only messages older than this message id. Without `before` and `after`: the newest page.
    before: Option<i64>,
    /// Only messages newer than this message id (not together with `before`).
    after: Option<i64>,
    /// Messages per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// A page of a chat's timeline, oldest first: the newest messages, the ones just older than `before`,
/// or the ones just newer than `after`.
#[utoipa::path(
    get,
    path = "/api/v1/chats/{id}/messages",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Messages, oldest first", body = MessagePage),
        (status = 400, description = "`bad_request`: a bad id, `before`, `after` or `limit`, or both `before` and `after`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person may not read it (not a member, nor an administrator of its school; a direct chat only its two members read)", body = ApiError),
    ),
)]
pub async fn messages(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
    extract::Query(query): extract::Query<PageQuery>,
) -> Result<Json<MessagePage>, AppError> {
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    if query.before.is_some() && query.after.is_some() {
        return Err(AppError::BadRequest("give either before or after, not both".into()));
    }
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    timeline::reading(&mut conn, id, session.user_id).await?;
    let view = View::of(session.user_id, state.clock.unix());

    // One message more than asked for tells whether the page is the last in its direction; the other
    // direction is one EXISTS away.
    let extra = limit as usize;
    let exists = async |conn: &mut sqlx::SqliteConnection, condition: &str, bound: i64| {
        sqlx::query_scalar::<_, bool>(&format!(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = ? AND id {condition} ?)"
        ))
        .bind(id)
        .bind(bound)
        .fetch_one(conn)
        .await
    };
    let page = match query.after {
        Some(after) => {
            let mut messages =
                timeline::load(&mut conn, id, Window::After { after, limit: limit + 1 }, view).await?;
            let has_newer = messages.len() > extra;
            messages.truncate(extra);
            let has_more = exists(&mut conn, "<=", after).await?;
            MessagePage { messages, has_more, has_newer }
        }
        None => {
            let before = query.before;
            let mut messages =
                timeline::load(&mut conn, id, Window::Before { before, limit: limit + 1 }, view).await?;
            let has_more = messages.len() > extra;
            if has_more {
                messages.remove(0);
            }
            let has_newer = match before {
                Some(before) => exists(&mut conn, ">=", before).await?,
                None => false,
            };
            MessagePage { messages, has_more, has_newer }
        }
    };
    Ok(Json(page))
}

use api::{ApiError, Chat, ChatKind, ChatSummary, MessagePage, MessagePreview};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::me::require_complete_profile;
use crate::AppState;
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::extract;
use crate::people::display_name;
use crate::timeline::{self, Window, preview};

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
    message_at: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    unread_count: i64,
}

/// The chats and channels the person is a member of, most recently active first, with how many of
/// their messages are unread. Deleted messages neither show as the last message nor count.
#[utoipa::path(
    get,
    path = "/api/v1/chats",
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
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT c.id, c.school_id, c.kind, c.title, c.created_at,
                m.kind AS message_kind, m.body, m.created_at AS message_at, u.first_name, u.last_name,
                (SELECT COUNT(*) FROM messages um
                 WHERE um.chat_id = c.id AND um.id > IFNULL(cm.last_read_id, 0) AND um.kind = 'text'
                   AND um.deleted_at IS NULL AND um.author_id IS NOT cm.user_id) AS unread_count
         FROM chat_members cm
         JOIN chats c ON c.id = cm.chat_id
         LEFT JOIN messages m
             ON m.id = (SELECT MAX(id) FROM messages WHERE chat_id = c.id AND deleted_at IS NULL)
         LEFT JOIN users u ON u.id = m.author_id
         WHERE cm.user_id = ?
         ORDER BY COALESCE(m.created_at, c.created_at) DESC, c.id DESC",
    )
    .bind(session.user_id)
    .fetch_all(&state.db)
    .await?;

    let chats = rows
        .into_iter()
        .map(|row| {
            let last_message = row.body.map(|body| MessagePreview {
                author_name: (row.message_kind.as_deref() == Some("text"))
                    .then(|| display_name(row.first_name.as_deref(), row.last_name.as_deref())),
                text: preview(&body),
            });
            ChatSummary {
                id: row.id,
                school_id: row.school_id,
                kind: ChatKind::parse(&row.kind),
                title: row.title,
                last_message,
                last_activity_at: rfc3339(row.message_at.unwrap_or(row.created_at)),
                unread_count: u32::try_from(row.unread_count).unwrap_or(u32::MAX),
            }
        })
        .collect();
    Ok(Json(chats))
}

#[derive(sqlx::FromRow)]
struct ChatRow {
    school_name: String,
    title: String,
    description: Option<String>,
    member_count: i64,
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
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
    ),
)]
pub async fn chat(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<Chat>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    let access = timeline::access(&mut conn, id, session.user_id).await?;
    let row: ChatRow = sqlx::query_as(
        "SELECT s.name AS school_name, c.title, c.description,
                (SELECT COUNT(*) FROM chat_members WHERE chat_id = c.id) AS member_count
         FROM chats c JOIN schools s ON s.id = c.school_id
         WHERE c.id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let unread_count = timeline::unread_count(&mut conn, id, session.user_id, access.last_read_id).await?;
    Ok(Json(Chat {
        id,
        school_id: access.school_id,
        school_name: row.school_name,
        kind: access.kind(),
        title: row.title,
        description: row.description,
        member_count: u32::try_from(row.member_count).unwrap_or(u32::MAX),
        can_post: access.can_post,
        can_moderate: access.can_moderate,
        last_read_id: access.last_read_id,
        unread_count,
    }))
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
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
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
    timeline::access(&mut conn, id, session.user_id).await?;

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
                timeline::load(&mut conn, id, Window::After { after, limit: limit + 1 }).await?;
            let has_newer = messages.len() > extra;
            messages.truncate(extra);
            let has_more = exists(&mut conn, "<=", after).await?;
            MessagePage { messages, has_more, has_newer }
        }
        None => {
            let before = query.before;
            let mut messages =
                timeline::load(&mut conn, id, Window::Before { before, limit: limit + 1 }).await?;
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

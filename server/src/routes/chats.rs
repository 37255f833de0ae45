use api::{ApiError, Author, Chat, ChatKind, ChatSummary, Message, MessageKind, MessagePage, MessagePreview};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use sqlx::SqlitePool;

use super::me::require_complete_profile;
use crate::AppState;
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::extract;
use crate::people::display_name;

const PREVIEW_MAX_CHARS: usize = 100;
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
}

/// The chats and channels the person is a member of, most recently active first.
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
                m.kind AS message_kind, m.body, m.created_at AS message_at, u.first_name, u.last_name
         FROM chat_members cm
         JOIN chats c ON c.id = cm.chat_id
         LEFT JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE chat_id = c.id)
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
            }
        })
        .collect();
    Ok(Json(chats))
}

#[derive(sqlx::FromRow)]
struct ChatRow {
    id: i64,
    school_id: i64,
    school_name: String,
    kind: String,
    title: String,
    description: Option<String>,
    can_post: bool,
    member_count: i64,
}

/// A chat as shown above its timeline.
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
    let row = member_chat(&state.db, id, session.user_id).await?;
    Ok(Json(Chat {
        id: row.id,
        school_id: row.school_id,
        school_name: row.school_name,
        kind: ChatKind::parse(&row.kind),
        title: row.title,
        description: row.description,
        member_count: u32::try_from(row.member_count).unwrap_or(u32::MAX),
        can_post: row.can_post,
    }))
}

/// `?before=&limit=` of a timeline page.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Only messages older than this message id; the newest page when absent.
    before: Option<i64>,
    /// Messages per page, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
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
    created_at: i64,
}

/// A page of a chat's timeline, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/chats/{id}/messages",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Messages, oldest first", body = MessagePage),
        (status = 400, description = "`bad_request`: a bad id, `before` or `limit`", body = ApiError),
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
    require_complete_profile(&state.db, session.user_id).await?;
    member_chat(&state.db, id, session.user_id).await?;

    // One more than asked for tells whether older messages exist.
    let mut rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT m.id, m.chat_id, m.author_id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v JOIN chats c ON c.id = m.chat_id
                        WHERE v.school_id = c.school_id AND v.user_id = m.author_id) AS teacher_verified,
                m.kind, m.body, m.created_at
         FROM messages m LEFT JOIN users u ON u.id = m.author_id
         WHERE m.chat_id = ?1 AND (?2 IS NULL OR m.id < ?2)
         ORDER BY m.id DESC
         LIMIT ?3",
    )
    .bind(id)
    .bind(query.before)
    .bind(limit + 1)
    .fetch_all(&state.db)
    .await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    rows.reverse();

    let messages = rows
        .into_iter()
        .map(|row| {
            let kind = if row.kind == "system" { MessageKind::System } else { MessageKind::Text };
            Message {
                id: row.id,
                chat_id: row.chat_id,
                author: row.author_id.filter(|_| kind == MessageKind::Text).map(|id| Author {
                    id,
                    name: display_name(row.first_name.as_deref(), row.last_name.as_deref()),
                    teacher_verified: row.teacher_verified,
                }),
                kind,
                text: row.body,
                created_at: rfc3339(row.created_at),
            }
        })
        .collect();
    Ok(Json(MessagePage { messages, has_more }))
}

/// The chat, if `user_id` is a member of it. Missing chats and other people's chats answer alike,
/// so that ids reveal nothing.
async fn member_chat(db: &SqlitePool, chat_id: i64, user_id: i64) -> Result<ChatRow, AppError> {
    sqlx::query_as(
        "SELECT c.id, c.school_id, s.name AS school_name, c.kind, c.title, c.description, cm.can_post,
                (SELECT COUNT(*) FROM chat_members WHERE chat_id = c.id) AS member_count
         FROM chats c
         JOIN chat_members cm ON cm.chat_id = c.id AND cm.user_id = ?2
         JOIN schools s ON s.id = c.school_id
         WHERE c.id = ?1",
    )
    .bind(chat_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// The text on one line, cut to at most [`PREVIEW_MAX_CHARS`] characters with "…".
fn preview(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= PREVIEW_MAX_CHARS {
        return line;
    }
    let cut: String = line.chars().take(PREVIEW_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_short_single_lines() {
        assert_eq!(preview("Добрый день!\n\nЗавтра  собрание."), "Добрый день! Завтра собрание.");
        let long = "я".repeat(150);
        let cut = preview(&long);
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.ends_with('…'));
        assert_eq!(preview(&"я".repeat(100)), "я".repeat(100));
    }
}

//! «Ознакомлен»: acknowledging an announcement (a message sent with `ask_ack`), and who has and who
//! has not yet, for the people chasing it.

use api::{AckEntry, AckList, ApiError, Message};
use axum::Json;
use axum::extract::State;

use super::me::require_complete_profile;
use super::messages::{Stored, publish_update, stored};
use crate::AppState;
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::contacts;
use crate::db;
use crate::error::AppError;
use crate::extract;
use crate::people::display_name;
use crate::timeline::{self, View};

/// Acknowledges an announcement: any member but its author, channel readers too. Every member gets
/// `message_updated`; acknowledging it again changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/messages/{message_id}/ack",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id of the announcement")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The announcement as it is now, the person in `ack.user_ids`", body = Message),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: the announcement's author, who is not asked; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or announcement (a message that does not ask for «Ознакомлен», or deleted), or the person is not a member", body = ApiError),
    ),
)]
pub async fn ack(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    timeline::access(&mut tx, chat_id, user_id).await?;
    let announcement = announcement(stored(&mut tx, chat_id, message_id).await?)?;
    if announcement.author_id == Some(user_id) {
        return Err(AppError::Forbidden);
    }
    let added = sqlx::query("INSERT OR IGNORE INTO acks (message_id, user_id, created_at) VALUES (?, ?, ?)")
        .bind(message_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    if added.rows_affected() == 0 {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(user_id, now)).await?));
    }
    Ok(Json(publish_update(&state, tx, chat_id, message_id, user_id, now).await?))
}

/// Who has acknowledged an announcement, in the order they did, and which members (but its author) have
/// not yet, by name. For its author and the chat's moderators (`Chat::can_moderate`).
#[utoipa::path(
    get,
    path = "/api/v1/chats/{id}/messages/{message_id}/acks",
    operation_id = "list_acks",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id of the announcement")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Who has and who has not acknowledged it", body = AckList),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: neither the author nor a moderator of the chat; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or announcement (a message that does not ask for «Ознакомлен», or deleted), or the person is not a member", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
) -> Result<Json<AckList>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    let access = timeline::access(&mut conn, chat_id, session.user_id).await?;
    let announcement = announcement(stored(&mut conn, chat_id, message_id).await?)?;
    if announcement.author_id != Some(session.user_id) && !access.can_moderate {
        return Err(AppError::Forbidden);
    }

    // Those who acknowledged and left since still did.
    let acknowledged: Vec<(i64, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT a.user_id, u.first_name, u.last_name, a.created_at FROM acks a JOIN users u ON u.id = a.user_id
         WHERE a.message_id = ? ORDER BY a.rowid",
    )
    .bind(message_id)
    .fetch_all(&mut *conn)
    .await?;
    let pending: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.first_name, u.last_name FROM chat_members cm JOIN users u ON u.id = cm.user_id
         WHERE cm.chat_id = ?1 AND cm.user_id IS NOT ?3
           AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.message_id = ?2 AND a.user_id = cm.user_id)",
    )
    .bind(chat_id)
    .bind(message_id)
    .bind(announcement.author_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut roles = contacts::roles_in_school(&mut conn, access.school_id).await?;
    let mut entry =
        |user_id: i64, first_name: Option<String>, last_name: Option<String>, at: Option<i64>| AckEntry {
            user_id,
            name: display_name(first_name.as_deref(), last_name.as_deref()),
            roles: roles.remove(&user_id).unwrap_or_default(),
            at: at.map(rfc3339),
        };
    let acknowledged: Vec<AckEntry> =
        acknowledged.into_iter().map(|(id, first, last, at)| entry(id, first, last, Some(at))).collect();
    let mut pending: Vec<AckEntry> =
        pending.into_iter().map(|(id, first, last)| entry(id, first, last, None)).collect();
    pending.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
    Ok(Json(AckList { acknowledged, pending }))
}

/// The message if it is an announcement asking for «Ознакомлен» and not deleted; `not_found` otherwise.
fn announcement(stored: Stored) -> Result<Stored, AppError> {
    if stored.ack_asked.is_some() && !stored.deleted { Ok(stored) } else { Err(AppError::NotFound) }
}

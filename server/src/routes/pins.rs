//! One pinned message per chat, shown above its timeline: an announcement everyone should find.

use api::{ApiError, Chat, FieldProblem, MessageKind, PinMessage, Quote};
use axum::Json;
use axum::extract::State;
use sqlx::SqliteConnection;

use super::chats::{chat_updated, load_chat};
use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::auth::session::Session;
use crate::db;
use crate::error::AppError;
use crate::extract;
use crate::timeline::{self, View};

/// The pinned message of a chat, quoted as the person sees it; `None` when there is none or it was
/// deleted.
pub(super) async fn pinned(
    conn: &mut SqliteConnection,
    chat_id: i64,
    user_id: i64,
) -> Result<Option<Quote>, AppError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT pinned_message_id FROM chats WHERE id = ?")
        .bind(chat_id)
        .fetch_one(&mut *conn)
        .await?;
    let Some(id) = id else { return Ok(None) };
    let message = match timeline::one(conn, chat_id, id, View::of(user_id, 0)).await {
        Ok(message) => message,
        Err(AppError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok((!message.deleted).then(|| Quote {
        id: message.id,
        author_name: message.author.map(|a| a.name),
        text: timeline::preview(&message.text),
        deleted: false,
    }))
}

/// Pins a message above the chat's timeline, in place of any pinned before.
#[utoipa::path(
    put,
    path = "/api/v1/chats/{id}/pin",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = PinMessage,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The chat with its pinned message", body = Chat),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not a moderator or manager of the chat", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `message_id` (`not_allowed`: not a message of this chat, deleted, or a system event)", body = ApiError),
    ),
)]
pub async fn pin(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(body): extract::Json<PinMessage>,
) -> Result<Json<Chat>, AppError> {
    set(state, session, chat_id, Some(body.message_id)).await
}

/// Unpins the chat's pinned message.
#[utoipa::path(
    delete,
    path = "/api/v1/chats/{id}/pin",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The chat without a pinned message", body = Chat),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not a moderator or manager of the chat", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
    ),
)]
pub async fn unpin(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
) -> Result<Json<Chat>, AppError> {
    set(state, session, chat_id, None).await
}

async fn set(
    state: AppState,
    session: Session,
    chat_id: i64,
    message_id: Option<i64>,
) -> Result<Json<Chat>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, session.user_id).await?;
    if !(access.can_moderate || access.can_manage) {
        return Err(AppError::Forbidden);
    }
    if let Some(id) = message_id {
        let pinnable = match timeline::one(&mut tx, chat_id, id, View::of(session.user_id, now)).await {
            Ok(message) => !message.deleted && message.kind != MessageKind::System,
            Err(AppError::NotFound) => false,
            Err(error) => return Err(error),
        };
        if !pinnable {
            return Err(AppError::Validation(vec![field("message_id", FieldProblem::NotAllowed)]));
        }
    }
    let was: Option<i64> = sqlx::query_scalar("SELECT pinned_message_id FROM chats WHERE id = ?")
        .bind(chat_id)
        .fetch_one(&mut *tx)
        .await?;
    if was == message_id {
        return Ok(Json(load_chat(&mut tx, chat_id, session.user_id).await?));
    }
    sqlx::query("UPDATE chats SET pinned_message_id = ? WHERE id = ?")
        .bind(message_id)
        .bind(chat_id)
        .execute(&mut *tx)
        .await?;
    let frame = chat_updated(&mut tx, chat_id, now).await?;
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    let chat = load_chat(&mut tx, chat_id, session.user_id).await?;
    tx.commit().await?;
    state.hub.publish(members, &frame);
    Ok(Json(chat))
}

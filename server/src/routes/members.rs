//! Who is in a chat: the member list, managers adding and removing people, leaving. Each change puts a
//! system event in the timeline and tells the chat's members (`message_created`, `chat_updated`) and the
//! person who came or went (`memberships_changed`).

use std::collections::HashSet;

use api::{AddMembers, ApiError, AuditAction, Chat, ChatMember, FieldProblem, ServerEvent, SystemEvent};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::chats::{chat_updated, load_chat};
use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::access::Standing;
use crate::audit;
use crate::auth::session::Session;
use crate::contacts;
use crate::db;
use crate::error::AppError;
use crate::extract;
use crate::people;
use crate::timeline;

/// Everyone in the chat, for every member to see who reads it: its managers first, then by name.
#[utoipa::path(
    get,
    path = "/api/v1/chats/{id}/members",
    operation_id = "list_chat_members",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The members", body = Vec<ChatMember>),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person may not read it (not a member, nor an administrator of its school; a direct chat only its two members read)", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
) -> Result<Json<Vec<ChatMember>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    timeline::reading(&mut conn, chat_id, session.user_id).await?;
    Ok(Json(contacts::members(&mut conn, chat_id).await?))
}

/// An administrator joins a chat of their school they were reading from outside (any chat but a
/// direct one), to write in it and moderate it: «Имя Фамилия — новый участник чата» in the timeline,
/// `chat_joined` in the audit log, `chat_updated` to the members and `memberships_changed` to the
/// administrator. Joining a chat one is already in changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/join",
    operation_id = "join_chat",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The chat, the person now a member", body = Chat),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person may not read it (only the school's administrators join chats of it this way; nobody joins a direct chat)", body = ApiError),
    ),
)]
pub async fn join(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
) -> Result<Json<Chat>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let timeline::Reading { access, member } = timeline::reading(&mut tx, chat_id, user_id).await?;
    if member {
        return Ok(Json(load_chat(&mut tx, chat_id, user_id).await?));
    }
    db::join_chat(&mut *tx, chat_id, user_id, true, now).await?;
    let title: String =
        sqlx::query_scalar("SELECT title FROM chats WHERE id = ?").bind(chat_id).fetch_one(&mut *tx).await?;
    let record = audit::Record { class_id: access.class_id, to: Some(&title), ..audit::Record::default() };
    audit::record(&mut tx, access.school_id, user_id, AuditAction::ChatJoined, record, now).await?;
    let joined =
        SystemEvent::MemberJoined { user_id: Some(user_id), name: people::name(&mut *tx, user_id).await? };
    let frames = [
        timeline::post_system(&mut tx, chat_id, &joined, now).await?,
        chat_updated(&mut tx, chat_id, now).await?,
    ];
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    let chat = load_chat(&mut tx, chat_id, user_id).await?;
    tx.commit().await?;
    for frame in &frames {
        state.hub.publish(members.iter().copied(), frame);
    }
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    drop(order);
    Ok(Json(chat))
}

/// Adds people to a chat the person manages (not a channel: those follow the school). Each one must be
/// someone `GET /schools/{id}/people?for=chat` offers; those already in it are skipped. Each added
/// person gets «Имя Фамилия — новый участник чата» in the timeline and `memberships_changed`; the
/// members get `chat_updated`.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/members",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = AddMembers,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "All the members as they are now", body = Vec<ChatMember>),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: the person does not manage the chat, or it is a channel", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `user_ids` (`required`: empty; `not_allowed`: someone the person may not add)", body = ApiError),
    ),
)]
pub async fn add(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(body): extract::Json<AddMembers>,
) -> Result<Json<Vec<ChatMember>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, session.user_id).await?;
    access.require_adding()?;
    if body.user_ids.is_empty() {
        return Err(AppError::Validation(vec![field("user_ids", FieldProblem::Required)]));
    }
    let standing = Standing::load(&mut *tx, access.school_id, session.user_id).await?;
    let candidates: HashSet<i64> =
        contacts::candidate_ids(&mut tx, &standing, access.class_id).await?.into_iter().collect();
    let members: HashSet<i64> = timeline::member_ids(&mut tx, chat_id).await?.into_iter().collect();
    let mut added: Vec<i64> = Vec::new();
    for &user_id in body.user_ids.iter().filter(|id| !members.contains(id)) {
        if !candidates.contains(&user_id) {
            return Err(AppError::Validation(vec![field("user_ids", FieldProblem::NotAllowed)]));
        }
        if !added.contains(&user_id) {
            added.push(user_id);
        }
    }
    if added.is_empty() {
        return Ok(Json(contacts::members(&mut tx, chat_id).await?));
    }

    let mut frames = Vec::new();
    for &user_id in &added {
        db::join_chat(&mut *tx, chat_id, user_id, true, now).await?;
        let joined = SystemEvent::MemberJoined {
            user_id: Some(user_id),
            name: people::name(&mut *tx, user_id).await?,
        };
        frames.push(timeline::post_system(&mut tx, chat_id, &joined, now).await?);
    }
    frames.push(chat_updated(&mut tx, chat_id, now).await?);
    let member_ids = timeline::member_ids(&mut tx, chat_id).await?;
    let members = contacts::members(&mut tx, chat_id).await?;
    tx.commit().await?;
    for frame in &frames {
        state.hub.publish(member_ids.iter().copied(), frame);
    }
    state.hub.send_all(added, &ServerEvent::MembershipsChanged);
    Ok(Json(members))
}

/// Removes someone from a group or subject chat the person manages (the other chats follow the
/// school: people leave them by leaving their class). Managers leave their own chats with `leave`.
/// The timeline gets «Имя Фамилия — больше не участник чата»; the removed person gets
/// `memberships_changed`, the members `chat_updated`.
#[utoipa::path(
    delete,
    path = "/api/v1/chats/{id}/members/{user_id}",
    operation_id = "remove_chat_member",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("user_id" = i64, Path, description = "The member to remove")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The person is no longer a member"),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: the person does not manage the chat, it is not a group or subject chat, or they tried to remove themselves", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, the person is not a member, or `user_id` is not a member", body = ApiError),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, session.user_id).await?;
    // People are removed only where they could leave by themselves.
    if !access.can_manage || !access.can_leave() || user_id == session.user_id {
        return Err(AppError::Forbidden);
    }
    let removed = sqlx::query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?")
        .bind(chat_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let removed =
        SystemEvent::MemberRemoved { user_id: Some(user_id), name: people::name(&mut *tx, user_id).await? };
    let frames = [
        timeline::post_system(&mut tx, chat_id, &removed, now).await?,
        chat_updated(&mut tx, chat_id, now).await?,
    ];
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    tx.commit().await?;
    for frame in &frames {
        state.hub.publish(members.iter().copied(), frame);
    }
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    Ok(StatusCode::NO_CONTENT)
}

/// Leaves a group or subject chat (`Chat::can_leave`); the other chats follow the person's place in
/// the school. The timeline gets «Имя Фамилия покидает чат»; the person's devices get
/// `memberships_changed`, the remaining members `chat_updated`.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/leave",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The person is no longer a member"),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not a group or subject chat", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
    ),
)]
pub async fn leave(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, user_id).await?;
    if !access.can_leave() {
        return Err(AppError::Forbidden);
    }
    sqlx::query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?")
        .bind(chat_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let left =
        SystemEvent::MemberLeft { user_id: Some(user_id), name: people::name(&mut *tx, user_id).await? };
    let frames = [
        timeline::post_system(&mut tx, chat_id, &left, now).await?,
        chat_updated(&mut tx, chat_id, now).await?,
    ];
    let members = timeline::member_ids(&mut tx, chat_id).await?;
    tx.commit().await?;
    for frame in &frames {
        state.hub.publish(members.iter().copied(), frame);
    }
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    Ok(StatusCode::NO_CONTENT)
}

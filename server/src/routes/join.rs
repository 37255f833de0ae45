//! `/join/<key>`: what an invite is for, and joining through it.
//!
//! Keys are secrets, so answers about keys that do not work name nothing of the school, and an address
//! that keeps naming keys that do not exist is stopped before it could find one by guessing.

use std::net::{IpAddr, SocketAddr};

use api::{
    ApiError, FieldError, FieldProblem, InviteKey, InvitePreview, InviteViewer, JoinBody, JoinOutcome,
    ServerEvent,
};
use axum::Json;
use axum::extract::{ConnectInfo, State};

use super::me::require_complete_profile;
use super::requests;
use crate::AppState;
use crate::auth::rate_limit::{Action, Limit};
use crate::auth::session::Session;
use crate::error::AppError;
use crate::event_log::Pending;
use crate::extract;
use crate::invites::{self, InviteRow};
use crate::membership;

/// Keys that named no invite, per client address per 10 minutes. Enough for people mistyping a code
/// from a sheet; at this pace guessing one of 8.5·10¹¹ codes takes longer than any school exists.
const MISSES: Limit = Limit { max: 30, window_seconds: 600 };

/// What an invite is for, before anything is asked; for a signed-in person, also where they stand.
///
/// Anyone may ask, signed in or not. A key that does not work answers with an error that names nothing
/// of the school. A person who already holds what the invite grants is told so even once the invite
/// stopped working, so that an old link still takes them to their chat.
#[utoipa::path(
    get,
    path = "/api/v1/join/{key}",
    tag = "join",
    params(("key" = String, Path, description = "The invite's token, or its short code (any case, with or without the dash)")),
    // Open to everyone; a session, when there is one, fills in `viewer`.
    security((), ("session" = [])),
    responses(
        (status = 200, description = "The invite", body = InvitePreview),
        (status = 400, description = "`invite_malformed`: cannot be a key", body = ApiError),
        (status = 404, description = "`invite_not_found`", body = ApiError),
        (status = 410, description = "`invite_revoked`, `invite_used_up` or `invite_expired` (when several apply, in this order)", body = ApiError),
        (status = 429, description = "`rate_limited`: too many keys that named no invite from this address",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn preview(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    session: Option<Session>,
    extract::Path(key): extract::Path<String>,
) -> Result<Json<InvitePreview>, AppError> {
    let invite = find(&state, client.ip(), &key).await?;
    let viewer = match &session {
        Some(session) => {
            let mut conn = state.db.acquire().await?;
            Some(viewer(&mut conn, &invite, session.user_id).await?)
        }
        None => None,
    };
    if !matches!(viewer, Some(InviteViewer::AlreadyMember { .. })) {
        invite.check_active(state.clock.unix())?;
    }
    Ok(Json(InvitePreview {
        school_name: invite.school_name.clone(),
        target: invite.target(),
        target_name: invite.target_name.clone(),
        role: invite.role(),
        invited_by: invite.creator_name(),
        invited_by_teacher_verified: invite.creator_verified,
        label: invite.label.clone(),
        requires_approval: invite.requires_approval,
        child_name: invite.child_name(),
        asks_child_name: invite.asks_child_name(),
        viewer,
    }))
}

/// Joins through an invite, or asks to when it requires approval.
///
/// Each join (or request) takes one use; of two people racing for the last use exactly one gets it.
/// Nothing is counted for a person who already holds what the invite grants, or already asked for it.
#[utoipa::path(
    post,
    path = "/api/v1/join/{key}",
    tag = "join",
    params(("key" = String, Path, description = "The invite's token, or its short code")),
    request_body = JoinBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Joined, already a member, or waiting for approval", body = JoinOutcome),
        (status = 400, description = "`invite_malformed`, or `bad_request`: the body is unreadable", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `students_only`: an account registered by a parent's e-mail and an invite for another role", body = ApiError),
        (status = 404, description = "`invite_not_found`", body = ApiError),
        (status = 409, description = "`invite_is_for_parent`: the child opened the link meant for their parent", body = ApiError),
        (status = 410, description = "`invite_revoked`, `invite_used_up` or `invite_expired`", body = ApiError),
        (status = 422, description = "`validation`: `child_name` (`required`, `too_long`) when the invite asks for it", body = ApiError),
        (status = 429, description = "`rate_limited`: too many keys that named no invite from this address",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    session: Session,
    extract::Path(key): extract::Path<String>,
    extract::Json(body): extract::Json<JoinBody>,
) -> Result<Json<JoinOutcome>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let found = find(&state, client.ip(), &key).await?;
    if found.child_id == Some(user_id) {
        return Err(AppError::InviteIsForParent);
    }
    // A child registered by a parent's e-mail is a student, whatever link they were given.
    if found.role() != api::Role::Student && crate::young::is_young_student(&state.db, user_id).await? {
        return Err(AppError::StudentsOnly);
    }
    let now = state.clock.unix();

    // IMMEDIATE takes the write lock at once: joins are serialised, and a transaction that read
    // first never has to upgrade to writing (which SQLite would refuse with SQLITE_BUSY).
    // Joining announces its «новый участник» message: a numbered event (see `event_log`).
    let _order = state.event_order.lock().await;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let invite = invites::by_id(&mut *tx, found.id).await?.ok_or(AppError::InviteNotFound)?;
    let grant = invite.grant();
    if let Some(chat_id) = membership::held(&mut tx, &grant, user_id).await? {
        return Ok(Json(JoinOutcome::AlreadyMember { school_id: invite.school_id, chat_id }));
    }
    if let Some(request_id) = requests::pending_for(&mut tx, &invite, user_id).await? {
        drop(tx);
        return pending(&state, request_id).await;
    }
    invite.check_active(now)?;
    let child_name =
        if invite.asks_child_name() { Some(child_name(body.child_name.as_deref())?) } else { None };

    // The use is taken by this one conditional statement, so that the last use goes to one person only
    // however requests interleave.
    let taken = sqlx::query(
        "UPDATE invites SET uses = uses + 1
         WHERE id = ?1 AND revoked_at IS NULL AND (max_uses IS NULL OR uses < max_uses)
           AND (expires_at IS NULL OR expires_at > ?2)",
    )
    .bind(invite.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() == 0 {
        drop(tx);
        let invite = invites::by_id(&state.db, invite.id).await?.ok_or(AppError::InviteNotFound)?;
        invite.check_active(now)?;
        return Err(AppError::InviteUsedUp);
    }

    if invite.requires_approval {
        let request_id: i64 = sqlx::query_scalar(
            "INSERT INTO join_requests (invite_id, school_id, user_id, role, class_id, chat_id, child_name, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(invite.id)
        .bind(invite.school_id)
        .bind(user_id)
        .bind(invite.role().as_str())
        .bind(invite.class_id)
        .bind(invite.chat_id)
        .bind(child_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        requests::announce(&state, invite.school_id, invite.class_id).await?;
        return pending(&state, request_id).await;
    }

    let mut announced = Pending::default();
    let chat_id = membership::apply(&mut tx, &grant, user_id, now, &mut announced).await?;
    tx.commit().await?;
    // The newcomer first hears that they are in, then (with everyone) that the chat says so.
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    announced.publish(&state.hub);
    requests::roster_changed(&state, invite.school_id).await?;
    Ok(Json(JoinOutcome::Joined { school_id: invite.school_id, chat_id }))
}

/// The invite named by `key`. Keys that name none count against the client's address; past the
/// limit, even a right key is refused, so that the answers tell a guesser nothing.
async fn find(state: &AppState, client: IpAddr, key: &str) -> Result<InviteRow, AppError> {
    let now = state.clock.unix();
    let limited = |retry_after_seconds| AppError::RateLimited { retry_after_seconds };
    state.limiter.check(Action::InviteMiss, client, MISSES, now).map_err(limited)?;
    let miss = |error: AppError| match state.limiter.hit(Action::InviteMiss, client, MISSES, now) {
        Ok(()) => error,
        Err(retry_after_seconds) => limited(retry_after_seconds),
    };
    let key = InviteKey::parse(key).ok_or_else(|| miss(AppError::InviteMalformed))?;
    invites::by_key(&state.db, &key).await?.ok_or_else(|| miss(AppError::InviteNotFound))
}

/// Where the signed-in person stands with the invite.
async fn viewer(
    conn: &mut sqlx::SqliteConnection,
    invite: &InviteRow,
    user_id: i64,
) -> Result<InviteViewer, AppError> {
    if invite.child_id == Some(user_id) {
        return Ok(InviteViewer::IsTheChild);
    }
    if let Some(chat_id) = membership::held(conn, &invite.grant(), user_id).await? {
        return Ok(InviteViewer::AlreadyMember { school_id: invite.school_id, chat_id });
    }
    if let Some(request_id) = requests::pending_for(conn, invite, user_id).await? {
        return Ok(InviteViewer::Pending { request_id });
    }
    Ok(InviteViewer::CanJoin)
}

async fn pending(state: &AppState, request_id: i64) -> Result<Json<JoinOutcome>, AppError> {
    let request = requests::by_id(&state.db, request_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(JoinOutcome::Pending { request: request.to_mine() }))
}

/// The child's name a parent gave (cleaned as it was read, [`api::JoinBody`]).
fn child_name(input: Option<&str>) -> Result<String, AppError> {
    let name = input.unwrap_or_default().to_string();
    let problem = if name.is_empty() {
        FieldProblem::Required
    } else if name.chars().count() > api::CHILD_NAME_MAX_CHARS {
        FieldProblem::TooLong
    } else {
        return Ok(name);
    };
    Err(AppError::Validation(vec![FieldError { field: "child_name".into(), problem }]))
}

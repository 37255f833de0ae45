//! A parent confirms a young student by the link sent to their e-mail; the child may ask for it again.

use api::{ApiError, ChildConfirmation, ChildDecision, ChildSchool, ServerEvent};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;
use crate::auth::session::Session;
use crate::error::AppError;
use crate::{extract, young};

/// Makes a confirmation link for `user_id` and sends it to their parent's e-mail.
pub async fn send_link(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let now = state.clock.unix();
    let link = young::new_link(&state.db, user_id, now).await?;
    let url = format!("{}/confirm-child/{}", state.config.link_origin(), link.token);
    state.mailer.send_child_confirmation(&link.email, &link.child, &url).await?;
    if let Some(outbox) = &state.outbox {
        outbox.record_confirmation_link(&link.email, &url);
    }
    Ok(())
}

/// Sends the parent the confirmation link again.
#[utoipa::path(
    post,
    path = "/api/v1/me/child-confirmation",
    tag = "me",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "A new link is on its way to the parent's e-mail"),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not a young student", body = ApiError),
        (status = 409, description = "`already_decided`: the parent confirmed the child already", body = ApiError),
        (status = 429, description = "`resend_too_soon` (60 s) or `rate_limited` (5 links a day)",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn resend(State(state): State<AppState>, session: Session) -> Result<StatusCode, AppError> {
    crate::routes::me::require_complete_profile(&state.db, session.user_id).await?;
    send_link(&state, session.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the parent confirms: the child's name, date of birth, and schools with classes.
///
/// No session needed: the token, sent only to the parent's e-mail, proves the mailbox.
#[utoipa::path(
    get,
    path = "/api/v1/child-confirmations/{token}",
    tag = "me",
    params(("token" = String, Path, description = "From the link `/confirm-child/<token>`")),
    responses(
        (status = 200, description = "The child to confirm", body = ChildConfirmation),
        (status = 404, description = "`not_found`: no link has this token", body = ApiError),
        (status = 410, description = "`confirmation_expired`: older than 14 days, or already used", body = ApiError),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    extract::Path(token): extract::Path<String>,
) -> Result<Json<ChildConfirmation>, AppError> {
    let (_, child_id) = young::open_link(&state.db, &token, state.clock.unix()).await?;
    let (first_name, last_name, birth_date): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name, birth_date FROM users WHERE id = ?")
            .bind(child_id)
            .fetch_one(&state.db)
            .await?;
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT s.id, s.name, c.name FROM memberships m
         JOIN schools s ON s.id = m.school_id LEFT JOIN classes c ON c.id = m.class_id
         WHERE m.user_id = ? ORDER BY s.name, s.id, c.name",
    )
    .bind(child_id)
    .fetch_all(&state.db)
    .await?;
    let mut schools: Vec<(i64, ChildSchool)> = Vec::new();
    for (school_id, name, class) in rows {
        if schools.last().is_none_or(|(id, _)| *id != school_id) {
            schools.push((school_id, ChildSchool { name, classes: Vec::new() }));
        }
        if let (Some(class), Some((_, school))) = (class, schools.last_mut()) {
            school.classes.push(class);
        }
    }
    Ok(Json(ChildConfirmation {
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        birth_date: birth_date.unwrap_or_default(),
        schools: schools.into_iter().map(|(_, school)| school).collect(),
    }))
}

/// The parent's answer: «Подтверждаю, это мой ребёнок» lifts the child's limits; «Это не мой ребёнок»
/// is recorded and leaves them. Either way the link is used up.
///
/// A parent signed in to Parta with their own account who is a parent in one of the child's schools
/// is linked to the child there, as a parent's invite would.
#[utoipa::path(
    post,
    path = "/api/v1/child-confirmations/{token}",
    tag = "me",
    params(("token" = String, Path, description = "From the link `/confirm-child/<token>`")),
    request_body = ChildDecision,
    security(("csrf" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, or `forbidden`: the child cannot confirm themselves", body = ApiError),
        (status = 404, description = "`not_found`: no link has this token", body = ApiError),
        (status = 410, description = "`confirmation_expired`: older than 14 days, or already used", body = ApiError),
    ),
)]
pub async fn decide(
    State(state): State<AppState>,
    session: Option<Session>,
    extract::Path(token): extract::Path<String>,
    extract::Json(decision): extract::Json<ChildDecision>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.unix();
    let (link_id, child_id) = young::open_link(&state.db, &token, now).await?;
    let parent_id = session.map(|s| s.user_id);
    if parent_id == Some(child_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = crate::db::begin_write(&state.db).await?;
    // Conditional, so that of two answers through the same link only the first counts.
    let taken = sqlx::query(
        "UPDATE child_confirmations SET decided_at = ?1, decision = ?2, decided_by = ?3
         WHERE id = ?4 AND decided_at IS NULL",
    )
    .bind(now)
    .bind(if decision.confirm { "confirmed" } else { "declined" })
    .bind(parent_id)
    .bind(link_id)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() == 0 {
        return Err(AppError::ConfirmationExpired);
    }
    if decision.confirm {
        sqlx::query("UPDATE users SET child_confirmed_at = ? WHERE id = ? AND child_confirmed_at IS NULL")
            .bind(now)
            .bind(child_id)
            .execute(&mut *tx)
            .await?;
        if let Some(parent_id) = parent_id {
            sqlx::query(
                "INSERT OR IGNORE INTO parent_links (parent_id, child_id, school_id, created_at)
                 SELECT ?1, ?2, p.school_id, ?3 FROM memberships p
                 WHERE p.user_id = ?1 AND p.role = 'parent'
                   AND p.school_id IN (SELECT school_id FROM memberships WHERE user_id = ?2 AND role = 'student')
                 GROUP BY p.school_id",
            )
            .bind(parent_id)
            .bind(child_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    // The child's open app reloads `/me`: its limits drop at once, or its banner says the parent
    // declined.
    state.hub.send(child_id, &ServerEvent::MembershipsChanged);
    Ok(StatusCode::NO_CONTENT)
}

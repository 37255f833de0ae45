//! Confirming a teacher's «учитель» status: the teacher asks, an administrator of the school decides.
//! A confirmed teacher carries the badge (`Author::teacher_verified`) wherever the school sees them.

use api::{
    Affected, ApiError, ApproveRequests, AuditAction, Author, ServerEvent, TeacherStatus, TeacherVerification,
};
use axum::Json;
use axum::extract::State;
use sqlx::SqliteExecutor;

use super::me::require_complete_profile;
use crate::AppState;
use crate::access::{self, Standing};
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::extract;
use crate::people::display_name;

#[derive(sqlx::FromRow)]
struct VerificationRow {
    id: i64,
    school_id: i64,
    user_id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    teacher_verified: bool,
    status: String,
    requested_at: i64,
    decided_at: Option<i64>,
}

const SELECT: &str = "
    SELECT tv.id, tv.school_id, tv.user_id, u.first_name, u.last_name,
           EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = tv.school_id AND v.user_id = tv.user_id)
               AS teacher_verified,
           tv.status, tv.requested_at, tv.decided_at
    FROM teacher_verifications tv JOIN users u ON u.id = tv.user_id";

impl VerificationRow {
    fn to_api(&self) -> TeacherVerification {
        TeacherVerification {
            id: self.id,
            school_id: self.school_id,
            teacher: Author {
                id: self.user_id,
                name: display_name(self.first_name.as_deref(), self.last_name.as_deref()),
                teacher_verified: self.teacher_verified,
            },
            status: status(&self.status),
            requested_at: rfc3339(self.requested_at),
            decided_at: self.decided_at.map(rfc3339),
        }
    }
}

/// A stored status as the contract names it.
pub fn status(stored: &str) -> TeacherStatus {
    match stored {
        "pending" => TeacherStatus::Pending,
        "verified" => TeacherStatus::Verified,
        "declined" => TeacherStatus::Declined,
        _ => TeacherStatus::Unknown,
    }
}

/// The person's newest request in the school: where they stand.
async fn latest<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
    user_id: i64,
) -> Result<Option<VerificationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE tv.school_id = ? AND tv.user_id = ? ORDER BY tv.id DESC LIMIT 1"))
        .bind(school_id)
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Asks the school's administrators to confirm the person's «учитель» status.
///
/// Asking again while a request waits, or once confirmed, changes nothing and answers with it; after a
/// decline, asking again makes a new request.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/teacher-verification",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request (`pending`, or `verified` when already confirmed)", body = TeacherVerification),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not a teacher of the school", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn request(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<TeacherVerification>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    if !standing.is_teacher() {
        return Err(AppError::Forbidden);
    }
    if let Some(current) = latest(&state.db, school_id, session.user_id).await?
        && matches!(status(&current.status), TeacherStatus::Pending | TeacherStatus::Verified)
    {
        return Ok(Json(current.to_api()));
    }
    // The index of waiting requests keeps a simultaneous second ask from adding another.
    let asked = sqlx::query(
        "INSERT OR IGNORE INTO teacher_verifications (school_id, user_id, status, requested_at)
         VALUES (?, ?, 'pending', ?)",
    )
    .bind(school_id)
    .bind(session.user_id)
    .bind(state.clock.unix())
    .execute(&state.db)
    .await?;
    if asked.rows_affected() == 1 {
        let admins = access::admins(&state.db, school_id).await?;
        state.hub.send_all(admins, &ServerEvent::DecisionsChanged { school_id });
    }
    let current = latest(&state.db, school_id, session.user_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(current.to_api()))
}

/// The school's waiting verification requests, oldest first (administrators only).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/teacher-verifications",
    operation_id = "list_teacher_verifications",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Waiting requests, oldest first", body = Vec<TeacherVerification>),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<Vec<TeacherVerification>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let rows: Vec<VerificationRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE tv.school_id = ? AND tv.status = 'pending' ORDER BY tv.requested_at, tv.id"
    ))
    .bind(school_id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.iter().map(VerificationRow::to_api).collect()))
}

/// Confirms the teacher's status: from now on they carry the badge in this school.
#[utoipa::path(
    post,
    path = "/api/v1/teacher-verifications/{id}/approve",
    operation_id = "approve_teacher",
    tag = "teacher verification",
    params(("id" = i64, Path, description = "Verification request id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request, now `verified`", body = TeacherVerification),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected` or `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such request, or the person is not an administrator of its school", body = ApiError),
        (status = 409, description = "`already_decided`", body = ApiError),
    ),
)]
pub async fn approve(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<TeacherVerification>, AppError> {
    decide(&state, &session, id, "verified").await
}

/// Declines the teacher's request; they may ask again.
#[utoipa::path(
    post,
    path = "/api/v1/teacher-verifications/{id}/decline",
    tag = "teacher verification",
    params(("id" = i64, Path, description = "Verification request id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request, now `declined`", body = TeacherVerification),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected` or `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such request, or the person is not an administrator of its school", body = ApiError),
        (status = 409, description = "`already_decided`", body = ApiError),
    ),
)]
pub async fn decline(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<TeacherVerification>, AppError> {
    decide(&state, &session, id, "declined").await
}

async fn decide(
    state: &AppState,
    session: &Session,
    id: i64,
    outcome: &str,
) -> Result<Json<TeacherVerification>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let by_id = format!("{SELECT} WHERE tv.id = ?");
    let row: VerificationRow =
        sqlx::query_as(&by_id).bind(id).fetch_optional(&state.db).await?.ok_or(AppError::NotFound)?;
    let standing = Standing::load(&state.db, row.school_id, session.user_id).await?;
    if !standing.is_admin() {
        return Err(AppError::NotFound);
    }
    let now = state.clock.unix();
    let mut tx = crate::db::begin_write(&state.db).await?;
    if !mark(&mut tx, &row, outcome, session.user_id, now).await? {
        return Err(AppError::AlreadyDecided);
    }
    tx.commit().await?;
    announce(state, row.school_id, &[row.user_id]).await?;
    let row: VerificationRow = sqlx::query_as(&by_id).bind(id).fetch_one(&state.db).await?;
    Ok(Json(row.to_api()))
}

/// Decides a waiting request, with its audit entry; `false` when it was decided already. Conditional,
/// so that of two administrators deciding at once only the first one counts.
async fn mark(
    tx: &mut sqlx::SqliteConnection,
    row: &VerificationRow,
    outcome: &str,
    decided_by: i64,
    now: i64,
) -> Result<bool, AppError> {
    let decided = sqlx::query(
        "UPDATE teacher_verifications SET status = ?, decided_at = ?, decided_by = ?
         WHERE id = ? AND status = 'pending'",
    )
    .bind(outcome)
    .bind(now)
    .bind(decided_by)
    .bind(row.id)
    .execute(&mut *tx)
    .await?;
    if decided.rows_affected() == 0 {
        return Ok(false);
    }
    let action =
        if outcome == "verified" { AuditAction::TeacherVerified } else { AuditAction::TeacherDeclined };
    let record = Record { subject_id: Some(row.user_id), ..Record::default() };
    audit::record(tx, row.school_id, decided_by, action, record, now).await?;
    Ok(true)
}

/// After decisions: each teacher's status changed, and every administrator's inbox too (the one who
/// decided included: their other devices and their counts).
async fn announce(state: &AppState, school_id: i64, teachers: &[i64]) -> Result<(), AppError> {
    state.hub.send_all(teachers.iter().copied(), &ServerEvent::MembershipsChanged);
    let admins = access::admins(&state.db, school_id).await?;
    state.hub.send_all(admins, &ServerEvent::DecisionsChanged { school_id });
    Ok(())
}

/// Confirms the listed requests at once (administrators): those of this school still waiting; others
/// are left alone, so that nothing that arrived meanwhile is confirmed unseen.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/teacher-verifications/approve",
    operation_id = "approve_teachers",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = ApproveRequests,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "How many teachers were confirmed", body = Affected),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn approve_many(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<ApproveRequests>,
) -> Result<Json<Affected>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let by_id = format!("{SELECT} WHERE tv.id = ? AND tv.school_id = ?");
    let now = state.clock.unix();
    let mut confirmed = Vec::new();
    let mut tx = crate::db::begin_write(&state.db).await?;
    for &id in &body.ids {
        let row: Option<VerificationRow> =
            sqlx::query_as(&by_id).bind(id).bind(school_id).fetch_optional(&mut *tx).await?;
        let Some(row) = row else { continue };
        if mark(&mut tx, &row, "verified", session.user_id, now).await? {
            confirmed.push(row.user_id);
        }
    }
    tx.commit().await?;
    if !confirmed.is_empty() {
        announce(&state, school_id, &confirmed).await?;
    }
    Ok(Json(Affected { count: confirmed.len() as u32 }))
}

//! A teacher with no class asks the school's administrators for one. The administrators see the
//! request in «Заявки»; assigning the teacher to a class (`classes::assign_teacher`) grants it, or
//! they decline it. Nothing else about the school changes until then.

use api::{ApiError, Author, ClassRequest, ClassRequestStatus, ServerEvent};
use axum::Json;
use axum::extract::State;
use sqlx::{SqliteConnection, SqliteExecutor};

use super::me::require_complete_profile;
use crate::AppState;
use crate::access::{self, Standing};
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::extract;
use crate::people::display_name;

#[derive(sqlx::FromRow)]
struct ClassRequestRow {
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
    SELECT cr.id, cr.school_id, cr.user_id, u.first_name, u.last_name,
           EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = cr.school_id AND v.user_id = cr.user_id)
               AS teacher_verified,
           cr.status, cr.requested_at, cr.decided_at
    FROM class_requests cr JOIN users u ON u.id = cr.user_id";

impl ClassRequestRow {
    fn to_api(&self) -> ClassRequest {
        ClassRequest {
            id: self.id,
            school_id: self.school_id,
            teacher: Author {
                id: self.user_id,
                name: display_name(self.first_name.as_deref(), self.last_name.as_deref()),
                teacher_verified: self.teacher_verified,
            },
            status: match self.status.as_str() {
                "pending" => ClassRequestStatus::Pending,
                "assigned" => ClassRequestStatus::Assigned,
                "declined" => ClassRequestStatus::Declined,
                _ => ClassRequestStatus::Unknown,
            },
            requested_at: rfc3339(self.requested_at),
            decided_at: self.decided_at.map(rfc3339),
        }
    }
}

/// The person's newest request in the school.
async fn latest<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
    user_id: i64,
) -> Result<Option<ClassRequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE cr.school_id = ? AND cr.user_id = ? ORDER BY cr.id DESC LIMIT 1"))
        .bind(school_id)
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// A teacher asks the school's administrators for a class to teach.
///
/// Asking again while a request waits changes nothing and answers with it; after a decision, asking
/// again makes a new request.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/class-request",
    operation_id = "request_class",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The waiting request", body = ClassRequest),
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
) -> Result<Json<ClassRequest>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    if !standing.is_teacher() {
        return Err(AppError::Forbidden);
    }
    // The index of waiting requests keeps a second ask (or two at once) from adding another.
    let asked = sqlx::query(
        "INSERT OR IGNORE INTO class_requests (school_id, user_id, status, requested_at) VALUES (?, ?, 'pending', ?)",
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

/// The teacher's own newest request for a class in the school: none, or one (waiting or decided).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/class-request",
    operation_id = "get_class_request",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "At most one request, the newest", body = Vec<ClassRequest>),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not a teacher of the school", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn mine(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<Vec<ClassRequest>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    if !standing.is_teacher() {
        return Err(AppError::Forbidden);
    }
    let current = latest(&state.db, school_id, session.user_id).await?;
    Ok(Json(current.iter().map(ClassRequestRow::to_api).collect()))
}

/// The school's waiting requests for a class, oldest first (administrators only).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/class-requests",
    operation_id = "list_class_requests",
    tag = "teacher verification",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Waiting requests, oldest first", body = Vec<ClassRequest>),
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
) -> Result<Json<Vec<ClassRequest>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let rows: Vec<ClassRequestRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE cr.school_id = ? AND cr.status = 'pending' ORDER BY cr.requested_at, cr.id"
    ))
    .bind(school_id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.iter().map(ClassRequestRow::to_api).collect()))
}

/// Declines a teacher's request for a class; they may ask again.
#[utoipa::path(
    post,
    path = "/api/v1/class-requests/{id}/decline",
    operation_id = "decline_class_request",
    tag = "teacher verification",
    params(("id" = i64, Path, description = "Class request id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request, now `declined`", body = ClassRequest),
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
) -> Result<Json<ClassRequest>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let by_id = format!("{SELECT} WHERE cr.id = ?");
    let row: ClassRequestRow =
        sqlx::query_as(&by_id).bind(id).fetch_optional(&state.db).await?.ok_or(AppError::NotFound)?;
    // Someone who is not an administrator there learns nothing about the school's requests.
    let standing = Standing::load(&state.db, row.school_id, session.user_id).await?;
    if !standing.is_admin() {
        return Err(AppError::NotFound);
    }
    let decided = sqlx::query(
        "UPDATE class_requests SET status = 'declined', decided_at = ?, decided_by = ?
         WHERE id = ? AND status = 'pending'",
    )
    .bind(state.clock.unix())
    .bind(session.user_id)
    .bind(id)
    .execute(&state.db)
    .await?;
    if decided.rows_affected() == 0 {
        return Err(AppError::AlreadyDecided);
    }
    announce(&state, row.school_id, row.user_id).await?;
    let row: ClassRequestRow = sqlx::query_as(&by_id).bind(id).fetch_one(&state.db).await?;
    Ok(Json(row.to_api()))
}

/// Within assigning `user_id` to a class: grants their waiting request for one, if any. `true` when
/// there was one (then [`announce`] after the commit).
pub async fn grant(
    tx: &mut SqliteConnection,
    school_id: i64,
    user_id: i64,
    decided_by: i64,
    now: i64,
) -> Result<bool, AppError> {
    let granted = sqlx::query(
        "UPDATE class_requests SET status = 'assigned', decided_at = ?, decided_by = ?
         WHERE school_id = ? AND user_id = ? AND status = 'pending'",
    )
    .bind(now)
    .bind(decided_by)
    .bind(school_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(granted.rows_affected() > 0)
}

/// After a decision: the teacher's screen and every administrator's «Заявки» (their counts too).
pub async fn announce(state: &AppState, school_id: i64, teacher: i64) -> Result<(), AppError> {
    state.hub.send(teacher, &ServerEvent::DecisionsChanged { school_id });
    let admins = access::admins(&state.db, school_id).await?;
    state.hub.send_all(admins, &ServerEvent::DecisionsChanged { school_id });
    Ok(())
}

/// Waiting requests for a class, counted among an administrator's decisions.
pub async fn waiting(db: &sqlx::SqlitePool, school_id: i64) -> Result<u32, AppError> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM class_requests WHERE school_id = ? AND status = 'pending'")
            .bind(school_id)
            .fetch_one(db)
            .await?;
    Ok(count as u32)
}

use api::{
    ApiError, FieldError, Me, ProfileUpdate, Role, SchoolMembership, SchoolSummary, TeacherStatus, User,
};
use axum::Json;
use axum::extract::State;
use sqlx::SqlitePool;

use crate::AppState;
use crate::access::Standing;
use crate::auth::session::Session;
use crate::error::AppError;
use crate::extract;

/// Who is signed in, and their schools with their roles in each.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("session" = [])),
    responses(
        (status = 200, description = "The person signed in", body = Me),
        (status = 401, description = "`unauthenticated`", body = ApiError),
    ),
)]
pub async fn me(State(state): State<AppState>, session: Session) -> Result<Json<Me>, AppError> {
    Ok(Json(load(&state.db, session.user_id).await?))
}

/// Fills in (or edits) the educational profile: first and last name, date of birth.
#[utoipa::path(
    put,
    path = "/api/v1/me/profile",
    tag = "me",
    request_body = ProfileUpdate,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The updated profile", body = Me),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 422, description = "`validation`: `fields` names every wrong field (`first_name`, `last_name`, `birth_date`)", body = ApiError),
    ),
)]
pub async fn update_profile(
    State(state): State<AppState>,
    session: Session,
    extract::Json(update): extract::Json<ProfileUpdate>,
) -> Result<Json<Me>, AppError> {
    let today = state.clock.today();
    let mut fields = Vec::new();
    let mut check = |field: &str, result: Result<String, api::FieldProblem>| {
        result.map_err(|problem| fields.push(FieldError { field: field.to_string(), problem })).ok()
    };
    let first_name = check("first_name", api::profile::validate_name(&update.first_name));
    let last_name = check("last_name", api::profile::validate_name(&update.last_name));
    let birth_date = check("birth_date", api::profile::validate_birth_date(&update.birth_date, &today));
    let (Some(first_name), Some(last_name), Some(birth_date)) = (first_name, last_name, birth_date) else {
        return Err(AppError::Validation(fields));
    };

    sqlx::query("UPDATE users SET first_name = ?, last_name = ?, birth_date = ? WHERE id = ?")
        .bind(first_name)
        .bind(last_name)
        .bind(birth_date)
        .bind(session.user_id)
        .execute(&state.db)
        .await?;
    // A young student's profile is complete now: the parent is asked to confirm the child, once; later
    // links only when the child asks.
    if crate::young::is_young_student(&state.db, session.user_id).await?
        && !crate::young::link_sent(&state.db, session.user_id).await?
    {
        super::child_confirmations::send_link(&state, session.user_id).await?;
    }
    Ok(Json(load(&state.db, session.user_id).await?))
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    phone: String,
    first_name: Option<String>,
    last_name: Option<String>,
    birth_date: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    school_id: i64,
    name: String,
    short_name: Option<String>,
    journal_url: Option<String>,
    logo: Option<i64>,
    role: String,
}

/// The [`Me`] of a user.
pub async fn load(db: &SqlitePool, user_id: i64) -> Result<Me, AppError> {
    let user: UserRow =
        sqlx::query_as("SELECT id, phone, first_name, last_name, birth_date FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_one(db)
            .await?;
    let rows: Vec<MembershipRow> = sqlx::query_as(
        "SELECT DISTINCT s.id AS school_id, s.name, s.short_name, s.journal_url, m.role,
                CASE WHEN EXISTS (SELECT 1 FROM school_logos l WHERE l.school_id = s.id)
                     THEN s.logo_version END AS logo
         FROM memberships m JOIN schools s ON s.id = m.school_id
         WHERE m.user_id = ?",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;

    let mut schools: Vec<SchoolMembership> = Vec::new();
    for row in rows {
        let Some(role) = Role::parse(&row.role) else { continue };
        match schools.iter_mut().find(|m| m.school.id == row.school_id) {
            Some(membership) => membership.roles.push(role),
            None => schools.push(SchoolMembership {
                school: SchoolSummary {
                    id: row.school_id,
                    name: row.name,
                    short_name: row.short_name,
                    journal_url: row.journal_url,
                    logo: row.logo,
                },
                roles: vec![role],
                teacher_status: None,
                pending_decisions: 0,
            }),
        }
    }
    for membership in &mut schools {
        membership.roles.sort();
        membership.roles.dedup();
        let standing = Standing::load(db, membership.school.id, user_id).await?;
        if standing.is_teacher() {
            let latest: Option<String> = sqlx::query_scalar(
                "SELECT status FROM teacher_verifications WHERE school_id = ? AND user_id = ?
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(membership.school.id)
            .bind(user_id)
            .fetch_optional(db)
            .await?;
            membership.teacher_status =
                Some(latest.as_deref().map_or(TeacherStatus::Unverified, super::verification::status));
        }
        membership.pending_decisions = pending_decisions(db, &standing).await?;
    }
    schools.sort_by(|a, b| a.school.name.cmp(&b.school.name).then(a.school.id.cmp(&b.school.id)));

    let profile_complete = user.first_name.is_some() && user.last_name.is_some() && user.birth_date.is_some();
    Ok(Me {
        user: User {
            id: user.id,
            // A young student's column holds a placeholder, never a number (see the migration).
            phone: if user.phone.starts_with('+') { user.phone } else { String::new() },
            first_name: user.first_name,
            last_name: user.last_name,
            birth_date: user.birth_date,
            profile_complete,
            young_student: crate::young::standing(db, user_id).await?,
        },
        schools,
    })
}

/// Join requests (and, for administrators, teacher verifications and requests for a class) waiting for this person's decision.
async fn pending_decisions(db: &SqlitePool, standing: &Standing) -> Result<u32, AppError> {
    if !(standing.is_admin() || standing.is_teacher()) {
        return Ok(0);
    }
    let requests: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT class_id FROM join_requests WHERE school_id = ? AND status = 'pending'")
            .bind(standing.school_id)
            .fetch_all(db)
            .await?;
    let mut count = requests.into_iter().filter(|&class_id| standing.decides(class_id)).count() as u32;
    if standing.is_admin() {
        let verifications: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM teacher_verifications WHERE school_id = ? AND status = 'pending'",
        )
        .bind(standing.school_id)
        .fetch_one(db)
        .await?;
        count += verifications as u32;
        count += super::class_requests::waiting(db, standing.school_id).await?;
    }
    Ok(count)
}

/// Refuses people who have not filled in their profile yet.
pub async fn require_complete_profile(db: &SqlitePool, user_id: i64) -> Result<(), AppError> {
    let complete: bool = sqlx::query_scalar(
        "SELECT first_name IS NOT NULL AND last_name IS NOT NULL AND birth_date IS NOT NULL
         FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_one(db)
    .await?;
    if complete { Ok(()) } else { Err(AppError::ProfileIncomplete) }
}

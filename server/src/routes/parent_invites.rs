//! «Пригласить родителей класса»: the class teacher (or an administrator) makes every missing
//! parent's link of a class in one step, instead of one student at a time.

use api::{ApiError, AuditAction, ClassParentInvites, CreatedInvite, InviteTarget, Role};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::invites::PARENT_INVITE_SECONDS;
use super::me::require_complete_profile;
use crate::AppState;
use crate::access::{self, Standing};
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::error::AppError;
use crate::extract;
use crate::invites::{self, NewInvite};

/// One parent's link for every student of the class whose parent is not in the school yet, made at
/// once: the class teacher invites the whole class in one step. Each link is the same as
/// [`super::invites::parent_invite`]'s (one use, bound to its student, 14 days).
#[utoipa::path(
    post,
    path = "/api/v1/classes/{id}/parent-invites",
    tag = "invites",
    params(("id" = i64, Path, description = "Class id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The links, one per student, with their tokens and short codes", body = ClassParentInvites),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: neither a teacher of the class nor an administrator, or the class is archived", body = ApiError),
        (status = 404, description = "`not_found`: no such class, or the person is not a member of its school", body = ApiError),
    ),
)]
pub async fn class_parent_invites(
    State(state): State<AppState>,
    session: Session,
    extract::Path(class_id): extract::Path<i64>,
) -> Result<(StatusCode, Json<ClassParentInvites>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let school_id: i64 = sqlx::query_scalar("SELECT school_id FROM classes WHERE id = ? AND kind = 'class'")
        .bind(class_id)
        .fetch_optional(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    let option = access::resolve_target(&state.db, &standing, InviteTarget::Class { class_id }).await?;
    if !option.roles.contains(&Role::Parent) {
        return Err(AppError::Forbidden);
    }
    let students: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT m.user_id,
                EXISTS (SELECT 1 FROM parent_links l WHERE l.child_id = m.user_id AND l.school_id = m.school_id)
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.class_id = ? AND m.role = 'student'
         ORDER BY u.last_name, u.first_name, u.id",
    )
    .bind(class_id)
    .fetch_all(&state.db)
    .await?;
    let skipped = students.iter().filter(|(_, has_parent)| *has_parent).count() as u32;
    let now = state.clock.unix();
    let mut made = Vec::new();
    let mut tx = crate::db::begin_write(&state.db).await?;
    for (student_id, _) in students.into_iter().filter(|(_, has_parent)| !has_parent) {
        let new = NewInvite {
            school_id,
            target: InviteTarget::Class { class_id },
            role: Role::Parent,
            label: None,
            child_id: Some(student_id),
            created_by: session.user_id,
            created_at: now,
            expires_at: Some(now + PARENT_INVITE_SECONDS),
            max_uses: Some(1),
            requires_approval: false,
        };
        let (id, keys) = invites::insert(&mut tx, &new).await?;
        let invite = invites::by_id(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
        let record = Record { subject_id: invite.child_id, class_id: invite.class_id, ..Record::default() };
        audit::record(&mut tx, school_id, session.user_id, AuditAction::InviteCreated, record, now).await?;
        made.push(CreatedInvite { invite: invite.to_api(now), token: keys.token, code: keys.code });
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(ClassParentInvites { invites: made, skipped })))
}

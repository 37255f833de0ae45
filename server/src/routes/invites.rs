//! Creating, listing and revoking invite links (the school's staff), and a child's link for a parent.

use api::{
    Affected, ApiError, AuditAction, CreatedInvite, FieldError, FieldProblem, Invite, InviteCreate,
    InviteTarget, InviteTargetOption, RevokeUnused, Role,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::me::require_complete_profile;
use crate::AppState;
use crate::access::{self, Standing};
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::error::AppError;
use crate::extract;
use crate::invites::{self, InviteRow, NewInvite};

/// How long a child's link for their parent works.
pub(super) const PARENT_INVITE_SECONDS: i64 = 14 * 24 * 3600;

/// Where the person may invite people to, and with which roles.
///
/// Administrators: «Учительская» (teachers), every class (students, parents, teachers) and every chat
/// but channels and direct chats. Teachers: their classes (students and parents) and the chats of
/// their classes they are in.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/invite-targets",
    tag = "invites",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The places, «Учительская» first, then classes, then chats", body = Vec<InviteTargetOption>),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: neither an administrator nor a teacher of the school", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn targets(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<Vec<InviteTargetOption>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_staff()?;
    Ok(Json(access::invite_targets(&state.db, &standing).await?))
}

/// Creates an invite link.
///
/// The answer is the only time its token and short code are shown: only their hashes are stored.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/invites",
    operation_id = "create_invite",
    tag = "invites",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = InviteCreate,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The invite, with its token and short code", body = CreatedInvite),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not staff, or a target the person may not invite to", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or the school has no such target", body = ApiError),
        (status = 422, description = "`validation`: `label` (`too_long`), `max_uses` (`out_of_range`: 1 to 1000), `expiry` (`invalid_date`, `out_of_range`: before today), `role` (`not_allowed` for this target)", body = ApiError),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<InviteCreate>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_staff()?;
    let option = access::resolve_target(&state.db, &standing, body.target).await?;

    let mut fields = Vec::new();
    let mut problem = |field: &str, problem: FieldProblem| {
        fields.push(FieldError { field: field.to_string(), problem });
    };
    let label = body.label.as_deref().map(str::trim).filter(|label| !label.is_empty());
    if label.is_some_and(|label| label.chars().count() > api::INVITE_LABEL_MAX_CHARS) {
        problem("label", FieldProblem::TooLong);
    }
    if body.max_uses.is_some_and(|max| !(1..=api::INVITE_MAX_USES).contains(&max)) {
        problem("max_uses", FieldProblem::OutOfRange);
    }
    let expires_at = invites::expires_at(&body.expiry, state.clock.unix())
        .map_err(|expiry_problem| problem("expiry", expiry_problem))
        .ok()
        .flatten();
    if !option.roles.contains(&body.role) {
        problem("role", FieldProblem::NotAllowed);
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }

    let new = NewInvite {
        school_id,
        target: body.target,
        role: body.role,
        label,
        child_id: None,
        created_by: session.user_id,
        created_at: state.clock.unix(),
        expires_at,
        max_uses: body.max_uses,
        requires_approval: body.requires_approval,
    };
    created(&state, &new).await
}

/// `?class_id=&chat_id=&target=school`: only the invites to one target.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InviteFilter {
    /// Only invites to this class (not to its chats).
    class_id: Option<i64>,
    /// Only invites to this chat.
    chat_id: Option<i64>,
    /// `school`: only invites to the school's staff («Учительская»).
    #[param(inline)]
    target: Option<TargetFilter>,
}

#[derive(Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetFilter {
    School,
}

/// The school's invites the person may see, newest first.
///
/// Administrators see all of them; teachers those to their classes and chats, and the ones they
/// created; anyone else only the ones they created (a child's link for their parent).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/invites",
    operation_id = "list_invites",
    tag = "invites",
    params(("school_id" = i64, Path, description = "School id"), InviteFilter),
    security(("session" = [])),
    responses(
        (status = 200, description = "Invites, newest first, with their uses and state", body = Vec<Invite>),
        (status = 400, description = "`bad_request`: a bad id or filter", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Query(filter): extract::Query<InviteFilter>,
) -> Result<Json<Vec<Invite>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    let targets = access::invite_targets(&state.db, &standing).await?;
    let now = state.clock.unix();
    let invites = invites::of_school(&state.db, school_id)
        .await?
        .into_iter()
        .filter(|invite| sees(&standing, &targets, invite))
        .filter(|invite| {
            let target = invite.target();
            filter.class_id.is_none_or(|class_id| target == InviteTarget::Class { class_id })
                && filter.chat_id.is_none_or(|chat_id| target == InviteTarget::Chat { chat_id })
                && filter.target.is_none_or(|_| target == InviteTarget::School)
        })
        .map(|invite| invite.to_api(now))
        .collect();
    Ok(Json(invites))
}

/// One invite.
#[utoipa::path(
    get,
    path = "/api/v1/invites/{id}",
    tag = "invites",
    params(("id" = i64, Path, description = "Invite id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The invite", body = Invite),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such invite, or one the person may not see", body = ApiError),
    ),
)]
pub async fn invite(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<Invite>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let (invite, _) = visible(&state, id, session.user_id).await?;
    Ok(Json(invite.to_api(state.clock.unix())))
}

/// Revokes an invite: it stops working with the very next request. Revoking it again changes nothing.
///
/// Allowed to the school's administrators, the invite's creator and the teachers of its class.
#[utoipa::path(
    post,
    path = "/api/v1/invites/{id}/revoke",
    tag = "invites",
    params(("id" = i64, Path, description = "Invite id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The invite, now `revoked`", body = Invite),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: may see it but not revoke it", body = ApiError),
        (status = 404, description = "`not_found`: no such invite, or one the person may not see", body = ApiError),
    ),
)]
pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<Invite>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let (invite, standing) = visible(&state, id, session.user_id).await?;
    if !may_revoke(&standing, &invite) {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.unix();
    let mut tx = crate::db::begin_write(&state.db).await?;
    let revoked = sqlx::query("UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if revoked.rows_affected() == 1 {
        let record = Record { class_id: invite.class_id, to: invite.label.as_deref(), ..Record::default() };
        audit::record(&mut tx, invite.school_id, session.user_id, AuditAction::InviteRevoked, record, now)
            .await?;
    }
    tx.commit().await?;
    let invite = invites::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(invite.to_api(now)))
}

/// Revokes every active invite nobody used («аннулировать невостребованные ссылки»): of the whole
/// school, or of one target. Touches only invites the person may revoke.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/invites/revoke-unused",
    tag = "invites",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = RevokeUnused,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "How many invites were revoked", body = Affected),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not staff, or a target the person may not invite to", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or no such target", body = ApiError),
    ),
)]
pub async fn revoke_unused(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<RevokeUnused>,
) -> Result<Json<Affected>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_staff()?;
    if let Some(target) = body.target {
        access::resolve_target(&state.db, &standing, target).await?;
    }
    let targets = access::invite_targets(&state.db, &standing).await?;
    let now = state.clock.unix();
    let unused: Vec<i64> = invites::of_school(&state.db, school_id)
        .await?
        .into_iter()
        .filter(|invite| invite.uses() == 0 && invite.state(now) == api::InviteState::Active)
        .filter(|invite| body.target.is_none_or(|target| invite.target() == target))
        .filter(|invite| sees(&standing, &targets, invite) && may_revoke(&standing, invite))
        .map(|invite| invite.id)
        .collect();

    let mut tx = crate::db::begin_write(&state.db).await?;
    let mut count = 0;
    for id in unused {
        // Conditional: an invite used a moment ago is no longer unused.
        let revoked = sqlx::query(
            "UPDATE invites SET revoked_at = ?1
             WHERE id = ?2 AND revoked_at IS NULL AND uses = 0 AND (expires_at IS NULL OR expires_at > ?1)",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        count += revoked.rows_affected() as u32;
    }
    if count > 0 {
        let class_id = match body.target {
            Some(InviteTarget::Class { class_id }) => Some(class_id),
            _ => None,
        };
        let count = count.to_string();
        let record = Record { class_id, to: Some(&count), ..Record::default() };
        audit::record(&mut tx, school_id, session.user_id, AuditAction::InvitesRevokedUnused, record, now)
            .await?;
    }
    tx.commit().await?;
    Ok(Json(Affected { count }))
}

/// A one-use link for a student's parent, bound to that student: the parent joins the class's
/// parents' chat without approval, and becomes the student's parent. Works for 14 days.
///
/// Allowed to the student themself, the teachers of their class and the school's administrators.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/students/{student_id}/parent-invite",
    tag = "invites",
    params(
        ("school_id" = i64, Path, description = "School id"),
        ("student_id" = i64, Path, description = "The student's user id"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The invite, with its token and short code", body = CreatedInvite),
        (status = 400, description = "`bad_request`: an id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: neither the student, a teacher of their class nor an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or no such student in a class of it", body = ApiError),
    ),
)]
pub async fn parent_invite(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, student_id)): extract::Path<(i64, i64)>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    let class_id: i64 = sqlx::query_scalar(
        "SELECT m.class_id FROM memberships m JOIN classes c ON c.id = m.class_id AND c.kind = 'class'
         WHERE m.school_id = ? AND m.user_id = ? AND m.role = 'student'
         ORDER BY m.id LIMIT 1",
    )
    .bind(school_id)
    .bind(student_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if !(session.user_id == student_id || standing.decides(Some(class_id))) {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.unix();
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
    created(&state, &new).await
}

/// Stores a new invite, with its record in the audit log, and answers with it and its keys.
async fn created(
    state: &AppState,
    new: &NewInvite<'_>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    let mut tx = crate::db::begin_write(&state.db).await?;
    let (id, keys) = invites::insert(&mut tx, new).await?;
    let invite = invites::by_id(&mut *tx, id).await?.ok_or(AppError::NotFound)?;
    // A chat's invite records the chat's class too.
    let record = Record {
        subject_id: invite.child_id,
        class_id: invite.class_id,
        to: invite.label.as_deref(),
        ..Record::default()
    };
    audit::record(&mut tx, new.school_id, new.created_by, AuditAction::InviteCreated, record, new.created_at)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite { invite: invite.to_api(state.clock.unix()), token: keys.token, code: keys.code }),
    ))
}

/// The invite, if the person may see it; `not_found` otherwise, as if there were none.
async fn visible(state: &AppState, id: i64, user_id: i64) -> Result<(InviteRow, Standing), AppError> {
    let invite = invites::by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let standing = Standing::load(&state.db, invite.school_id, user_id).await?;
    let targets = access::invite_targets(&state.db, &standing).await?;
    if sees(&standing, &targets, &invite) { Ok((invite, standing)) } else { Err(AppError::NotFound) }
}

/// Administrators see every invite of their school; others those they created, those to the
/// places they may invite to, and (class teachers) every invite into their class's chats.
fn sees(standing: &Standing, targets: &[InviteTargetOption], invite: &InviteRow) -> bool {
    standing.is_admin()
        || invite.created_by == standing.user_id
        || standing.teaches(invite.class_id)
        || targets.iter().any(|option| option.target == invite.target())
}

fn may_revoke(standing: &Standing, invite: &InviteRow) -> bool {
    standing.is_admin() || invite.created_by == standing.user_id || standing.teaches(invite.class_id)
}

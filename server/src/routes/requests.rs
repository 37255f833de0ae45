//! Join requests («заявки на вступление»): people who joined through an invite that requires approval
//! wait here for a school administrator or a teacher of the class.

use api::{
    Affected, ApiError, ApproveRequests, AuditAction, Author, InviteTarget, JoinRequest, MyJoinRequest,
    RequestStatus, Role, ServerEvent,
};
use axum::Json;
use axum::extract::State;
use sqlx::{SqliteConnection, SqliteExecutor};

use super::me::require_complete_profile;
use crate::AppState;
use crate::access::{self, Standing};
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::event_log::Pending;
use crate::extract;
use crate::invites;
use crate::membership::{self, Grant};
use crate::people::display_name;

/// How long a person still sees their decided requests.
const DECIDED_SHOWN_SECONDS: i64 = 30 * 24 * 3600;

/// A join request with what its views need.
#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub school_id: i64,
    school_name: String,
    pub user_id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    person_verified: bool,
    invite_id: i64,
    invite_label: Option<String>,
    target_kind: String,
    invite_class_id: Option<i64>,
    invite_chat_id: Option<i64>,
    child_id: Option<i64>,
    target_name: String,
    role: String,
    child_name: Option<String>,
    status: String,
    created_at: i64,
    /// The class the request is about: its teachers decide.
    pub class_id: Option<i64>,
    open_chat_id: Option<i64>,
}

const SELECT: &str = "
    SELECT r.id, r.school_id, s.name AS school_name, r.user_id, u.first_name, u.last_name,
           EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = r.school_id AND v.user_id = r.user_id)
               AS person_verified,
           r.invite_id, i.label AS invite_label, i.target_kind, i.class_id AS invite_class_id,
           i.chat_id AS invite_chat_id, i.child_id, t.name AS target_name,
           r.role, r.child_name, r.status, r.created_at, r.class_id, r.open_chat_id
    FROM join_requests r
    JOIN invites i ON i.id = r.invite_id
    JOIN invite_target_names t ON t.invite_id = i.id
    JOIN schools s ON s.id = r.school_id
    JOIN users u ON u.id = r.user_id";

pub async fn by_id<'e>(db: impl SqliteExecutor<'e>, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE r.id = ?")).bind(id).fetch_optional(db).await
}

impl RequestRow {
    fn status(&self) -> RequestStatus {
        match self.status.as_str() {
            "pending" => RequestStatus::Pending,
            "approved" => RequestStatus::Approved,
            "rejected" => RequestStatus::Rejected,
            _ => RequestStatus::Unknown,
        }
    }

    fn role(&self) -> Role {
        Role::parse(&self.role).expect("the role column is checked by the schema")
    }

    fn target(&self) -> InviteTarget {
        invites::target(&self.target_kind, self.invite_class_id, self.invite_chat_id)
    }

    fn grant(&self) -> Grant {
        Grant {
            school_id: self.school_id,
            target: self.target(),
            role: self.role(),
            child_id: self.child_id,
            invite_id: Some(self.invite_id),
        }
    }

    fn to_api(&self) -> JoinRequest {
        JoinRequest {
            id: self.id,
            school_id: self.school_id,
            person: Author {
                id: self.user_id,
                name: display_name(self.first_name.as_deref(), self.last_name.as_deref()),
                teacher_verified: self.person_verified,
            },
            invite_id: self.invite_id,
            invite_label: self.invite_label.clone(),
            target: self.target(),
            target_name: self.target_name.clone(),
            role: self.role(),
            child_name: self.child_name.clone(),
            status: self.status(),
            created_at: rfc3339(self.created_at),
        }
    }

    pub fn to_mine(&self) -> MyJoinRequest {
        MyJoinRequest {
            id: self.id,
            school_id: self.school_id,
            school_name: self.school_name.clone(),
            target_name: self.target_name.clone(),
            role: self.role(),
            status: self.status(),
            created_at: rfc3339(self.created_at),
            chat_id: self.open_chat_id,
        }
    }
}

/// The school's waiting requests the person decides, oldest first.
///
/// Administrators decide every request of the school; teachers those into their classes and the
/// chats of their classes.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/join-requests",
    operation_id = "list_join_requests",
    tag = "join requests",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Waiting requests, oldest first", body = Vec<JoinRequest>),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: neither an administrator nor a teacher", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<Vec<JoinRequest>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_staff()?;
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.school_id = ? AND r.status = 'pending' ORDER BY r.created_at, r.id"
    ))
    .bind(school_id)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.iter().filter(|row| standing.decides(row.class_id)).map(RequestRow::to_api).collect()))
}

/// Approves a request: the person becomes a member as the invite grants, and hears so live.
#[utoipa::path(
    post,
    path = "/api/v1/join-requests/{id}/approve",
    operation_id = "approve_join_request",
    tag = "join requests",
    params(("id" = i64, Path, description = "Join request id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request, now `approved`", body = JoinRequest),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected` or `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such request, or one the person does not decide", body = ApiError),
        (status = 409, description = "`already_decided`", body = ApiError),
    ),
)]
pub async fn approve(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<JoinRequest>, AppError> {
    decide_one(&state, &session, id, true).await
}

/// Rejects a request; the use of the invite it took is given back.
#[utoipa::path(
    post,
    path = "/api/v1/join-requests/{id}/reject",
    tag = "join requests",
    params(("id" = i64, Path, description = "Join request id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The request, now `rejected`", body = JoinRequest),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected` or `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such request, or one the person does not decide", body = ApiError),
        (status = 409, description = "`already_decided`", body = ApiError),
    ),
)]
pub async fn reject(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<Json<JoinRequest>, AppError> {
    decide_one(&state, &session, id, false).await
}

/// Approves the listed requests at once: those the person decides that are still waiting (others
/// are left alone, so nothing that arrived meanwhile is approved unseen).
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/join-requests/approve",
    operation_id = "approve_join_requests",
    tag = "join requests",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = ApproveRequests,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "How many requests were approved", body = Affected),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: neither an administrator nor a teacher", body = ApiError),
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
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_staff()?;
    let now = state.clock.unix();
    let mut decided = Vec::new();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = crate::db::begin_write(&state.db).await?;
    for &id in &body.ids {
        let Some(row) = by_id(&mut *tx, id).await? else { continue };
        if row.school_id != school_id || !standing.decides(row.class_id) {
            continue;
        }
        if let Some(open) = decide(&mut tx, &row, true, session.user_id, now, &mut announced).await? {
            decided.push((row, open));
        }
    }
    tx.commit().await?;
    let count = decided.len() as u32;
    let notified = notify(&state, &decided, true).await;
    // After the decision itself: newcomers first hear that they are in.
    announced.publish(&state.hub);
    drop(order);
    notified?;
    Ok(Json(Affected { count }))
}

/// The person's own requests, newest first: those waiting and those decided in the last 30 days.
#[utoipa::path(
    get,
    path = "/api/v1/me/join-requests",
    operation_id = "my_join_requests",
    tag = "join requests",
    security(("session" = [])),
    responses(
        (status = 200, description = "The person's requests, newest first", body = Vec<MyJoinRequest>),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
    ),
)]
pub async fn mine(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Vec<MyJoinRequest>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.user_id = ? AND (r.status = 'pending' OR r.decided_at > ?)
         ORDER BY r.created_at DESC, r.id DESC"
    ))
    .bind(session.user_id)
    .bind(state.clock.unix() - DECIDED_SHOWN_SECONDS)
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rows.iter().map(RequestRow::to_mine).collect()))
}

async fn decide_one(
    state: &AppState,
    session: &Session,
    id: i64,
    approve: bool,
) -> Result<Json<JoinRequest>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let row = by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let standing = Standing::load(&state.db, row.school_id, session.user_id).await?;
    if !standing.decides(row.class_id) {
        return Err(AppError::NotFound);
    }
    let now = state.clock.unix();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let open = decide(&mut tx, &row, approve, session.user_id, now, &mut announced)
        .await?
        .ok_or(AppError::AlreadyDecided)?;
    tx.commit().await?;
    let decided = by_id(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let answer = decided.to_api();
    let notified = notify(state, &[(decided, open)], approve).await;
    // After the decision itself: the newcomer first hears that they are in.
    announced.publish(&state.hub);
    drop(order);
    notified?;
    Ok(Json(answer))
}

/// Decides a request if it still waits; `None` when it was already decided. Approving applies what
/// the invite grants and returns the chat to open.
async fn decide(
    tx: &mut SqliteConnection,
    row: &RequestRow,
    approve: bool,
    by: i64,
    now: i64,
    announced: &mut Pending,
) -> Result<Option<Option<i64>>, AppError> {
    // Conditional, so that of two people deciding at once only the first one counts.
    let changed = sqlx::query(
        "UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(now)
    .bind(by)
    .bind(row.id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Ok(None);
    }
    let action = if approve { AuditAction::RequestApproved } else { AuditAction::RequestRejected };
    let record = Record { subject_id: Some(row.user_id), class_id: row.class_id, ..Record::default() };
    audit::record(tx, row.school_id, by, action, record, now).await?;
    if !approve {
        sqlx::query("UPDATE invites SET uses = uses - 1 WHERE id = ? AND uses > 0")
            .bind(row.invite_id)
            .execute(&mut *tx)
            .await?;
        return Ok(Some(None));
    }
    let open = membership::apply(tx, &row.grant(), row.user_id, now, announced).await?;
    sqlx::query("UPDATE join_requests SET open_chat_id = ? WHERE id = ?")
        .bind(open)
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(open))
}

/// Tells each requester the outcome, everyone who decides those requests (the decider too, on their
/// other devices and in their counts) that their list changed, and once someone is let in, the
/// school's administrators that its people changed.
async fn notify(
    state: &AppState,
    decided: &[(RequestRow, Option<i64>)],
    approved: bool,
) -> Result<(), AppError> {
    let mut others = Vec::new();
    for (row, open) in decided {
        let event = ServerEvent::JoinRequestDecided {
            request_id: row.id,
            approved,
            school_id: row.school_id,
            chat_id: *open,
        };
        state.hub.send(row.user_id, &event);
        if approved {
            state.hub.send(row.user_id, &ServerEvent::MembershipsChanged);
        }
        let approvers = access::approvers(&state.db, row.school_id, row.class_id).await?;
        others.extend(approvers.into_iter().map(|id| (id, row.school_id)));
    }
    others.sort_unstable();
    others.dedup();
    for &(user_id, school_id) in &others {
        state.hub.send(user_id, &ServerEvent::DecisionsChanged { school_id });
    }
    if approved {
        let mut schools: Vec<i64> = decided.iter().map(|(row, _)| row.school_id).collect();
        schools.dedup();
        for school_id in schools {
            roster_changed(state, school_id).await?;
        }
    }
    Ok(())
}

/// Tells the school's administrators that people joined, left or moved in it.
pub async fn roster_changed(state: &AppState, school_id: i64) -> Result<(), AppError> {
    let admins = access::admins(&state.db, school_id).await?;
    state.hub.send_all(admins, &ServerEvent::RosterChanged { school_id });
    Ok(())
}

/// Tells the people who decide requests about `class_id` that a new one arrived.
pub async fn announce(state: &AppState, school_id: i64, class_id: Option<i64>) -> Result<(), AppError> {
    let approvers = access::approvers(&state.db, school_id, class_id).await?;
    state.hub.send_all(approvers, &ServerEvent::DecisionsChanged { school_id });
    Ok(())
}

/// The person's waiting request for the same place and role as the invite, through any invite.
pub async fn pending_for(
    conn: &mut SqliteConnection,
    invite: &invites::InviteRow,
    user_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM join_requests
         WHERE school_id = ? AND user_id = ? AND role = ? AND IFNULL(class_id, 0) = IFNULL(?, 0)
           AND IFNULL(chat_id, 0) = IFNULL(?, 0) AND status = 'pending'",
    )
    .bind(invite.school_id)
    .bind(user_id)
    .bind(invite.role().as_str())
    .bind(invite.class_id)
    .bind(invite.chat_id)
    .fetch_optional(conn)
    .await
}

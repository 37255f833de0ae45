//! The school's people as its administrators manage them: the roster, a person's card, changing a role
//! or a class, removing someone from the school, appointing and removing administrators.
//!
//! Only the school's administrators may (`forbidden` to its other members, `not_found` to everyone
//! else). Each change is written to the audit log in its own transaction; the person hears
//! `memberships_changed`, and the chats they leave say so in their timelines.

use std::collections::HashMap;

use api::{
    ApiError, AuditAction, FieldProblem, Membership, MembershipChange, PersonCard, PersonStatus, Relative,
    Role, RosterEntry, ServerEvent, SystemEvent,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use sqlx::SqliteConnection;

use super::chats::chat_updated;
use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::access::{self, Standing};
use crate::audit::{self, AuditFilter, Record};
use crate::auth::session::Session;
use crate::clock::rfc3339;
use crate::db;
use crate::error::AppError;
use crate::event_log::Pending;
use crate::extract;
use crate::membership::{self, Grant};
use crate::people::{self, display_name};
use crate::timeline;

/// The signed-in person's standing in the school, when they administer it.
pub(super) async fn administrator(
    state: &AppState,
    session: &Session,
    school_id: i64,
) -> Result<Standing, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let standing = Standing::load(&state.db, school_id, session.user_id).await?;
    standing.require_admin()?;
    Ok(standing)
}

/// `?role=&class_id=&status=&q=`: each one given narrows the roster; empty ones are ignored.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// People holding this role (with `class_id`: in that class).
    #[param(value_type = Option<Role>)]
    role: Option<String>,
    /// People with a role in this class (or «Учительская»), waiting requests included.
    #[param(value_type = Option<i64>)]
    class_id: Option<String>,
    #[param(value_type = Option<PersonStatus>)]
    status: Option<String>,
    /// Words the words of the name start with, in any case: «леб», «анна мир». Cleaned as one line
    /// (`api::text`).
    #[serde(default, deserialize_with = "api::text::optional_line")]
    q: Option<String>,
}

/// [`RosterQuery`] read.
#[derive(Debug, Default)]
struct RosterFilter {
    role: Option<Role>,
    class_id: Option<i64>,
    status: Option<PersonStatus>,
    /// Folded ([`fold`]).
    words: Vec<String>,
}

impl RosterQuery {
    fn read(self) -> Result<RosterFilter, AppError> {
        let given = |value: Option<String>| value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let bad = |name: &str, value: &str, expected: &str| {
            AppError::BadRequest(format!("{name}: «{value}» is not {expected}"))
        };
        let role = given(self.role)
            .map(|v| Role::parse(&v).ok_or_else(|| bad("role", &v, "one of admin, teacher, student, parent")))
            .transpose()?;
        let class_id = given(self.class_id)
            .map(|v| v.parse::<i64>().map_err(|_| bad("class_id", &v, "a class id")))
            .transpose()?;
        let status = given(self.status)
            .map(|v| match v.as_str() {
                "active" => Ok(PersonStatus::Active),
                "pending" => Ok(PersonStatus::Pending),
                "unverified" => Ok(PersonStatus::Unverified),
                _ => Err(bad("status", &v, "one of active, pending, unverified")),
            })
            .transpose()?;
        let words = self.q.as_deref().map(words).unwrap_or_default();
        Ok(RosterFilter { role, class_id, status, words })
    }
}

/// Lower case, «ё» as «е»: how names are compared, so that «Семёнова» is found as «семенова».
fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// The folded words of a name or a query («Анна-Мария» is two).
fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Whether each of `query`'s words starts some word of `name`.
fn name_matches(name: &str, query: &[String]) -> bool {
    let name = words(name);
    query.iter().all(|q| name.iter().any(|w| w.starts_with(q.as_str())))
}

/// Everyone of the school, sorted by last name then first name: its members (`active`, or
/// `unverified` for teachers whose «учитель» status is not confirmed) and the people whose request to
/// join waits (`pending`, their roles without a membership id). Filters combine; with `role` and
/// `class_id` both, one role must be in that class.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/roster",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), RosterQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The people, by last name", body = Vec<RosterEntry>),
        (status = 400, description = "`bad_request`: a bad id, an unknown `role` or `status`, or a `class_id` that is not a class of the school", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn roster(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Query(query): extract::Query<RosterQuery>,
) -> Result<Json<Vec<RosterEntry>>, AppError> {
    administrator(&state, &session, school_id).await?;
    let filter = query.read()?;
    let mut conn = state.db.acquire().await?;
    if let Some(class_id) = filter.class_id {
        let known: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM classes WHERE id = ? AND school_id = ?)")
                .bind(class_id)
                .bind(school_id)
                .fetch_one(&mut *conn)
                .await?;
        if !known {
            return Err(AppError::BadRequest(format!("class_id: the school has no class {class_id}")));
        }
    }
    let people = people_of(&mut conn, school_id, None).await?;
    Ok(Json(
        people
            .into_iter()
            .filter(|person| filter.status.is_none_or(|status| person.status == status))
            .filter(|person| {
                (filter.role.is_none() && filter.class_id.is_none())
                    || person.memberships.iter().any(|m| {
                        filter.role.is_none_or(|role| m.role == role)
                            && filter.class_id.is_none_or(|class_id| m.class_id == Some(class_id))
                    })
            })
            .filter(|person| name_matches(&person.name, &filter.words))
            .collect(),
    ))
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    teacher_verified: bool,
}

/// A membership, or the role a waiting request asks for (no `membership_id`).
#[derive(sqlx::FromRow)]
struct PlaceRow {
    user_id: i64,
    membership_id: Option<i64>,
    role: String,
    class_id: Option<i64>,
    class_name: Option<String>,
    grade: Option<i64>,
}

/// The school's members and the people whose request to join waits — or only `only` among them —
/// each with their roles (memberships first, then requests; by role, then class), sorted by last name
/// then first name.
async fn people_of(
    conn: &mut SqliteConnection,
    school_id: i64,
    only: Option<i64>,
) -> Result<Vec<RosterEntry>, sqlx::Error> {
    let people: Vec<PersonRow> = sqlx::query_as(
        "SELECT u.id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = ?1 AND v.user_id = u.id)
                    AS teacher_verified
         FROM users u
         WHERE u.id IN (SELECT user_id FROM memberships WHERE school_id = ?1
                        UNION SELECT user_id FROM join_requests WHERE school_id = ?1 AND status = 'pending')
           AND (?2 IS NULL OR u.id = ?2)",
    )
    .bind(school_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut places: Vec<PlaceRow> = sqlx::query_as(
        "SELECT m.user_id, m.id AS membership_id, m.role, m.class_id, c.name AS class_name, c.grade
         FROM memberships m LEFT JOIN classes c ON c.id = m.class_id
         WHERE m.school_id = ?1 AND (?2 IS NULL OR m.user_id = ?2)
         UNION ALL
         SELECT r.user_id, NULL, r.role, r.class_id, c.name, c.grade
         FROM join_requests r LEFT JOIN classes c ON c.id = r.class_id
         WHERE r.school_id = ?1 AND r.status = 'pending' AND (?2 IS NULL OR r.user_id = ?2)",
    )
    .bind(school_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    places.sort_by(|a, b| {
        let key =
            |p: &PlaceRow| (p.membership_id.is_none(), Role::parse(&p.role), p.grade, p.class_name.clone());
        key(a).cmp(&key(b))
    });
    let mut memberships: HashMap<i64, Vec<Membership>> = HashMap::new();
    for place in places {
        let Some(role) = Role::parse(&place.role) else { continue };
        let held = memberships.entry(place.user_id).or_default();
        let membership = Membership {
            id: place.membership_id,
            role,
            class_id: place.class_id,
            class_name: place.class_name,
        };
        // A request for what the person already holds adds nothing.
        if place.membership_id.is_none()
            && held.iter().any(|m| m.role == membership.role && m.class_id == membership.class_id)
        {
            continue;
        }
        held.push(membership);
    }

    let mut entries: Vec<((String, String), RosterEntry)> = people
        .into_iter()
        .map(|person| {
            let memberships = memberships.remove(&person.id).unwrap_or_default();
            let key = (
                fold(person.last_name.as_deref().unwrap_or_default()),
                fold(person.first_name.as_deref().unwrap_or_default()),
            );
            let entry = RosterEntry {
                id: person.id,
                name: display_name(person.first_name.as_deref(), person.last_name.as_deref()),
                status: status(&memberships, person.teacher_verified),
                teacher_verified: person.teacher_verified,
                memberships,
            };
            (key, entry)
        })
        .collect();
    entries.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.id.cmp(&y.id)));
    Ok(entries.into_iter().map(|(_, entry)| entry).collect())
}

/// `pending` without a membership; `unverified` for a teacher the school has not confirmed.
fn status(memberships: &[Membership], teacher_verified: bool) -> PersonStatus {
    let mut held = memberships.iter().filter(|m| m.id.is_some()).peekable();
    if held.peek().is_none() {
        PersonStatus::Pending
    } else if !teacher_verified && held.any(|m| m.role == Role::Teacher) {
        PersonStatus::Unverified
    } else {
        PersonStatus::Active
    }
}

/// A person's card: their roles, children and parents, when and how they joined, and what
/// administrators did about them (newest first). For a member of the school or someone whose request
/// to join it waits.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/people/{user_id}",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), ("user_id" = i64, Path, description = "The person")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The person's card", body = PersonCard),
        (status = 400, description = "`bad_request`: an id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or the person is neither a member nor waiting to become one", body = ApiError),
    ),
)]
pub async fn person(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<Json<PersonCard>, AppError> {
    administrator(&state, &session, school_id).await?;
    let mut conn = state.db.acquire().await?;
    let entry = people_of(&mut conn, school_id, Some(user_id)).await?.pop().ok_or(AppError::NotFound)?;
    let joined_at: Option<i64> =
        sqlx::query_scalar("SELECT MIN(created_at) FROM memberships WHERE school_id = ? AND user_id = ?")
            .bind(school_id)
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    let joined_by: Option<String> = sqlx::query_scalar(
        "SELECT COALESCE(NULLIF(TRIM(i.label), ''), t.name)
         FROM memberships m JOIN invites i ON i.id = m.invite_id JOIN invite_target_names t ON t.invite_id = i.id
         WHERE m.school_id = ? AND m.user_id = ?
         ORDER BY m.created_at, m.id LIMIT 1",
    )
    .bind(school_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let children = relatives(&mut conn, school_id, user_id, Kin::Children).await?;
    let parents = relatives(&mut conn, school_id, user_id, Kin::Parents).await?;
    let filter = AuditFilter { subject_id: Some(user_id), ..AuditFilter::default() };
    let history = audit::audit_entries(&mut *conn, school_id, filter).await?;
    let young_student = crate::young::standing(&mut *conn, user_id).await?;
    Ok(Json(PersonCard {
        id: entry.id,
        name: entry.name,
        status: entry.status,
        teacher_verified: entry.teacher_verified,
        memberships: entry.memberships,
        children,
        parents,
        joined_at: joined_at.map(rfc3339),
        joined_by,
        young_student,
        history,
    }))
}

#[derive(Clone, Copy)]
enum Kin {
    Children,
    Parents,
}

#[derive(sqlx::FromRow)]
struct RelativeRow {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    class_name: Option<String>,
}

/// A person's children (with their class) or parents (with the class they are a parent in), as the
/// school's parents' links recorded them.
async fn relatives(
    conn: &mut SqliteConnection,
    school_id: i64,
    user_id: i64,
    kin: Kin,
) -> Result<Vec<Relative>, sqlx::Error> {
    let (them, me, role) = match kin {
        Kin::Children => ("child_id", "parent_id", Role::Student),
        Kin::Parents => ("parent_id", "child_id", Role::Parent),
    };
    let rows: Vec<RelativeRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.first_name, u.last_name,
                (SELECT c.name FROM memberships m JOIN classes c ON c.id = m.class_id
                 WHERE m.school_id = ?1 AND m.user_id = u.id AND m.role = ?3 ORDER BY c.grade, c.name LIMIT 1)
                    AS class_name
         FROM parent_links l JOIN users u ON u.id = l.{them}
         WHERE l.school_id = ?1 AND l.{me} = ?2
         ORDER BY u.last_name, u.first_name, u.id"
    ))
    .bind(school_id)
    .bind(user_id)
    .bind(role.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Relative {
            id: row.id,
            name: display_name(row.first_name.as_deref(), row.last_name.as_deref()),
            class_name: row.class_name,
        })
        .collect())
}

/// A membership with its class.
#[derive(sqlx::FromRow)]
struct PlaceOfMember {
    user_id: i64,
    role: String,
    class_id: Option<i64>,
    class_name: Option<String>,
}

/// A class of the school as a membership may move into it.
#[derive(sqlx::FromRow)]
struct ClassRow {
    id: i64,
    name: String,
    kind: String,
    archived: bool,
}

async fn class_of_school(
    conn: &mut SqliteConnection,
    school_id: i64,
    class_id: i64,
) -> Result<Option<ClassRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, kind, archived_at IS NOT NULL AS archived FROM classes WHERE id = ? AND school_id = ?",
    )
    .bind(class_id)
    .bind(school_id)
    .fetch_optional(conn)
    .await
}

/// Changes a role in place (a student who is really a parent) and/or its class (a student moving to
/// another class), keeping everything they wrote. The person leaves the chats of the old class and role
/// that nothing else of theirs keeps them in, and joins those of the new. Written to the audit log as
/// `role_changed` and/or `student_moved`. Changing nothing answers the membership as it is.
#[utoipa::path(
    patch,
    path = "/api/v1/schools/{school_id}/memberships/{membership_id}",
    tag = "school administration",
    params(
        ("school_id" = i64, Path, description = "School id"),
        ("membership_id" = i64, Path, description = "The membership (`Membership::id`)"),
    ),
    request_body = MembershipChange,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The membership as it is now", body = Membership),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or no such membership in it", body = ApiError),
        (status = 409, description = "`conflict`: the person already holds the new role in that class, or the membership is an administrator's (appointed and removed through `/admins`)", body = ApiError),
        (status = 422, description = "`validation`: `role` (`not_allowed`: administrator), `class_id` (`required`: a student or parent needs a class; `not_allowed`: not a class of the school, archived, or «Учительская» for a student or parent)", body = ApiError),
    ),
)]
pub async fn change_membership(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, membership_id)): extract::Path<(i64, i64)>,
    extract::Json(change): extract::Json<MembershipChange>,
) -> Result<Json<Membership>, AppError> {
    administrator(&state, &session, school_id).await?;
    if change.role == Some(Role::Admin) {
        return Err(AppError::Validation(vec![field("role", FieldProblem::NotAllowed)]));
    }
    let now = state.clock.unix();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let old: PlaceOfMember = sqlx::query_as(
        "SELECT m.user_id, m.role, m.class_id, c.name AS class_name
         FROM memberships m LEFT JOIN classes c ON c.id = m.class_id
         WHERE m.id = ? AND m.school_id = ?",
    )
    .bind(membership_id)
    .bind(school_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let old_role = Role::parse(&old.role).ok_or(AppError::NotFound)?;
    if old_role == Role::Admin {
        return Err(AppError::Conflict("an administrator's role is changed through /admins".into()));
    }
    let role = change.role.unwrap_or(old_role);
    let class = match change.class_id.or(old.class_id) {
        Some(class_id) => class_of_school(&mut tx, school_id, class_id).await?,
        None => None,
    };
    let unchanged = role == old_role && class.as_ref().map(|c| c.id) == old.class_id;
    if unchanged {
        return Ok(Json(Membership {
            id: Some(membership_id),
            role,
            class_id: old.class_id,
            class_name: old.class_name,
        }));
    }
    let Some(class) = class else {
        let problem =
            if change.class_id.is_some() { FieldProblem::NotAllowed } else { FieldProblem::Required };
        return Err(AppError::Validation(vec![field("class_id", problem)]));
    };
    let moved = Some(class.id) != old.class_id;
    let staff_room = class.kind == "staff_room";
    if (moved && class.archived) || (staff_room && role != Role::Teacher) {
        return Err(AppError::Validation(vec![field("class_id", FieldProblem::NotAllowed)]));
    }

    let updated = sqlx::query("UPDATE memberships SET role = ?, class_id = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(class.id)
        .bind(membership_id)
        .execute(&mut *tx)
        .await;
    match updated {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(AppError::Conflict("the person already holds this role in this class".into()));
        }
        updated => updated?,
    };
    let user_id = old.user_id;
    let left = membership::place_chats(&mut tx, school_id, old_role, old.class_id).await?;
    let target =
        if staff_room { api::InviteTarget::School } else { api::InviteTarget::Class { class_id: class.id } };
    let grant = Grant { school_id, target, role, child_id: None, invite_id: None };
    membership::apply(&mut tx, &grant, user_id, now, &mut announced).await?;
    leave_chats(
        &mut tx,
        school_id,
        user_id,
        left.into_iter().map(|(chat_id, _)| chat_id),
        now,
        &mut announced,
    )
    .await?;

    let subject = Some(user_id);
    if role != old_role {
        let record = Record {
            subject_id: subject,
            class_id: Some(class.id),
            class_name: Some(&class.name),
            from: Some(old_role.as_str()),
            to: Some(role.as_str()),
        };
        audit::record(&mut tx, school_id, session.user_id, AuditAction::RoleChanged, record, now).await?;
    }
    if moved {
        let record = Record {
            subject_id: subject,
            class_id: Some(class.id),
            class_name: Some(&class.name),
            from: old.class_name.as_deref(),
            to: Some(&class.name),
        };
        audit::record(&mut tx, school_id, session.user_id, AuditAction::StudentMoved, record, now).await?;
    }
    tx.commit().await?;
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    announced.publish(&state.hub);
    drop(order);
    super::requests::roster_changed(&state, school_id).await?;
    Ok(Json(Membership {
        id: Some(membership_id),
        role,
        class_id: Some(class.id),
        class_name: Some(class.name),
    }))
}

/// Takes the person out of those of `chats` that none of their memberships in the school still brings
/// them. Each (but a channel) says so in its timeline, and its members hear `chat_updated`.
async fn leave_chats(
    tx: &mut SqliteConnection,
    school_id: i64,
    user_id: i64,
    chats: impl IntoIterator<Item = i64>,
    now: i64,
    announced: &mut Pending,
) -> Result<(), sqlx::Error> {
    let kept = membership::entitled_chats(tx, school_id, user_id).await?;
    let mut name = None;
    for chat_id in chats.into_iter().filter(|chat_id| !kept.contains(chat_id)) {
        let left = sqlx::query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?")
            .bind(chat_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let kind: String = sqlx::query_scalar("SELECT kind FROM chats WHERE id = ?")
            .bind(chat_id)
            .fetch_one(&mut *tx)
            .await?;
        if left.rows_affected() == 0 || kind == api::ChatKind::Channel.as_str() {
            continue;
        }
        let name = match &name {
            Some(name) => name,
            None => name.insert(people::name(&mut *tx, user_id).await?),
        };
        let removed = SystemEvent::MemberRemoved { user_id: Some(user_id), name: name.clone() };
        let frames =
            [timeline::post_system(tx, chat_id, &removed, now).await?, chat_updated(tx, chat_id, now).await?];
        let members = timeline::member_ids(tx, chat_id).await?;
        for frame in frames {
            announced.push(frame, members.clone());
        }
    }
    Ok(())
}

/// How many administrators the school has.
async fn admin_count(conn: &mut SqliteConnection, school_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT user_id) FROM memberships WHERE school_id = ? AND role = 'admin'",
    )
    .bind(school_id)
    .fetch_one(conn)
    .await
}

/// Removes a person from the school: every role, every chat of the school (each saying so), their
/// waiting requests and their parents' links there. Written to the audit log as `member_removed`.
/// Administrators cannot remove themselves, nor anyone the school's last administrator.
#[utoipa::path(
    delete,
    path = "/api/v1/schools/{school_id}/people/{user_id}",
    operation_id = "remove_from_school",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), ("user_id" = i64, Path, description = "The person")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The person is no longer in the school"),
        (status = 400, description = "`bad_request`: an id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or the person is neither a member nor waiting to become one", body = ApiError),
        (status = 409, description = "`conflict`: the administrator named themselves; `last_admin`: the person is the school's last administrator", body = ApiError),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    administrator(&state, &session, school_id).await?;
    if user_id == session.user_id {
        return Err(AppError::Conflict("an administrator does not remove themselves from the school".into()));
    }
    let now = state.clock.unix();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE school_id = ? AND user_id = ?")
            .bind(school_id)
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    if roles.iter().any(|role| role == Role::Admin.as_str()) && admin_count(&mut tx, school_id).await? <= 1 {
        return Err(AppError::LastAdmin);
    }
    let requests: Vec<Option<i64>> = sqlx::query_scalar(
        "DELETE FROM join_requests WHERE school_id = ? AND user_id = ? AND status = 'pending' RETURNING class_id",
    )
    .bind(school_id)
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    if roles.is_empty() && requests.is_empty() {
        return Err(AppError::NotFound);
    }
    sqlx::query("DELETE FROM memberships WHERE school_id = ? AND user_id = ?")
        .bind(school_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM parent_links WHERE school_id = ?1 AND (parent_id = ?2 OR child_id = ?2)")
        .bind(school_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let verification = sqlx::query(
        "DELETE FROM teacher_verifications WHERE school_id = ? AND user_id = ? AND status = 'pending'",
    )
    .bind(school_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let chats: Vec<i64> = sqlx::query_scalar(
        "SELECT cm.chat_id FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
         WHERE c.school_id = ? AND cm.user_id = ? ORDER BY cm.chat_id",
    )
    .bind(school_id)
    .bind(user_id)
    .fetch_all(&mut *tx)
    .await?;
    leave_chats(&mut tx, school_id, user_id, chats, now, &mut announced).await?;
    let record = Record { subject_id: Some(user_id), ..Record::default() };
    audit::record(&mut tx, school_id, session.user_id, AuditAction::MemberRemoved, record, now).await?;
    tx.commit().await?;
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    announced.publish(&state.hub);
    drop(order);

    // The lists of waiting decisions that named the person.
    let mut deciders = Vec::new();
    for class_id in requests {
        deciders.extend(access::approvers(&state.db, school_id, class_id).await?);
    }
    if verification.rows_affected() > 0 {
        deciders.extend(access::admins(&state.db, school_id).await?);
    }
    deciders.sort_unstable();
    deciders.dedup();
    state.hub.send_all(deciders, &ServerEvent::DecisionsChanged { school_id });
    super::requests::roster_changed(&state, school_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a teacher of the school one of its administrators: they join «Учительская» and post in both
/// channels. Appointing an administrator again changes nothing. Written to the audit log as
/// `admin_appointed`.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{school_id}/admins/{user_id}",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), ("user_id" = i64, Path, description = "The teacher")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The person is an administrator"),
        (status = 400, description = "`bad_request`: an id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or the person is not a member of it", body = ApiError),
        (status = 409, description = "`conflict`: the person is not a teacher of the school", body = ApiError),
    ),
)]
pub async fn appoint(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    administrator(&state, &session, school_id).await?;
    let now = state.clock.unix();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let person = Standing::load(&mut *tx, school_id, user_id).await?;
    if person.is_admin() {
        return Ok(StatusCode::NO_CONTENT);
    }
    if !person.is_teacher() {
        return Err(AppError::Conflict("only a teacher of the school is appointed administrator".into()));
    }
    sqlx::query("INSERT INTO memberships (school_id, user_id, role, created_at) VALUES (?, ?, 'admin', ?)")
        .bind(school_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for (chat_id, _) in membership::admin_chats(&mut tx, school_id).await? {
        let joined = db::join_chat(&mut *tx, chat_id, user_id, true, now).await?;
        let kind: String = sqlx::query_scalar("SELECT kind FROM chats WHERE id = ?")
            .bind(chat_id)
            .fetch_one(&mut *tx)
            .await?;
        if kind == api::ChatKind::Channel.as_str() {
            // A teacher read the channels; an administrator posts in them.
            sqlx::query("UPDATE chat_members SET can_post = 1 WHERE chat_id = ? AND user_id = ?")
                .bind(chat_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        } else if joined.rows_affected() == 1 {
            let joined = SystemEvent::MemberJoined {
                user_id: Some(user_id),
                name: people::name(&mut *tx, user_id).await?,
            };
            let frames = [
                timeline::post_system(&mut tx, chat_id, &joined, now).await?,
                chat_updated(&mut tx, chat_id, now).await?,
            ];
            let members = timeline::member_ids(&mut tx, chat_id).await?;
            for frame in frames {
                announced.push(frame, members.clone());
            }
        }
    }
    let record = Record { subject_id: Some(user_id), ..Record::default() };
    audit::record(&mut tx, school_id, session.user_id, AuditAction::AdminAppointed, record, now).await?;
    tx.commit().await?;
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    announced.publish(&state.hub);
    drop(order);
    Ok(StatusCode::NO_CONTENT)
}

/// Takes the administrator role from a person, who keeps their other roles (and reads the channels
/// again as a teacher). The last administrator stays. Removing it from someone who is not one changes
/// nothing. Written to the audit log as `admin_removed`.
#[utoipa::path(
    delete,
    path = "/api/v1/schools/{school_id}/admins/{user_id}",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), ("user_id" = i64, Path, description = "The administrator")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The person is not an administrator"),
        (status = 400, description = "`bad_request`: an id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school (or not a member), or the person is not a member of it", body = ApiError),
        (status = 409, description = "`last_admin`: the school's last administrator; `conflict`: the person has no other role (remove them from the school instead)", body = ApiError),
    ),
)]
pub async fn dismiss(
    State(state): State<AppState>,
    session: Session,
    extract::Path((school_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    administrator(&state, &session, school_id).await?;
    let now = state.clock.unix();
    let mut announced = Pending::default();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let person = Standing::load(&mut *tx, school_id, user_id).await?;
    if !person.is_admin() {
        return Ok(StatusCode::NO_CONTENT);
    }
    if admin_count(&mut tx, school_id).await? <= 1 {
        return Err(AppError::LastAdmin);
    }
    if person.roles == [Role::Admin] {
        return Err(AppError::Conflict("without the administrator's role this person would leave the school: remove them from the school instead".into()));
    }
    sqlx::query("DELETE FROM memberships WHERE school_id = ? AND user_id = ? AND role = 'admin'")
        .bind(school_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let chats = membership::admin_chats(&mut tx, school_id).await?;
    leave_chats(
        &mut tx,
        school_id,
        user_id,
        chats.into_iter().map(|(chat_id, _)| chat_id),
        now,
        &mut announced,
    )
    .await?;
    sqlx::query(
        "UPDATE chat_members SET can_post = 0
         WHERE user_id = ? AND chat_id IN (SELECT id FROM chats WHERE school_id = ? AND kind = 'channel')",
    )
    .bind(user_id)
    .bind(school_id)
    .execute(&mut *tx)
    .await?;
    let record = Record { subject_id: Some(user_id), ..Record::default() };
    audit::record(&mut tx, school_id, session.user_id, AuditAction::AdminRemoved, record, now).await?;
    tx.commit().await?;
    state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    announced.publish(&state.hub);
    drop(order);
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_by_the_start_of_any_word_in_any_case() {
        let query = |q: &str| words(q);
        assert!(name_matches("Светлана Лебедева", &query("леб")));
        assert!(name_matches("Светлана Лебедева", &query("СВЕТ")));
        assert!(name_matches("Светлана Лебедева", &query("лебедева свет")));
        assert!(name_matches("Анна-Мария Семёнова", &query("мари семен")));
        assert!(name_matches("Анна-Мария Семёнова", &query("")), "no words, no filter");
        assert!(!name_matches("Светлана Лебедева", &query("едева")), "the start of a word only");
        assert!(!name_matches("Светлана Лебедева", &query("леб иван")), "every word of the query");
    }

    #[test]
    fn the_status_follows_memberships_and_verification() {
        let membership = |id: Option<i64>, role| Membership { id, role, class_id: None, class_name: None };
        assert_eq!(status(&[membership(None, Role::Parent)], false), PersonStatus::Pending);
        assert_eq!(status(&[membership(Some(1), Role::Teacher)], false), PersonStatus::Unverified);
        assert_eq!(status(&[membership(Some(1), Role::Teacher)], true), PersonStatus::Active);
        assert_eq!(
            status(&[membership(Some(1), Role::Parent), membership(None, Role::Teacher)], false),
            PersonStatus::Active,
            "a waiting request is not a role yet"
        );
    }
}

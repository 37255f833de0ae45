//! The administrator's «Классы»: the school's classes with their teachers, chats and how many students
//! and parents joined; creating, renaming, archiving and deleting them; who teaches them; and the
//! year-end transfer, when every class moves a grade up and the eleventh grades graduate.
//!
//! «Учительская» is listed with the classes but never changed here: 409 `conflict`.

use std::collections::{HashMap, HashSet};

use api::{
    ApiError, AuditAction, BulkClasses, BulkCreated, CLASS_SIZE_MAX, ChatKind, ClassChanges, ClassChat,
    ClassSummary, ClassTransfer, FieldProblem, GRADES, NewClass, PersonRef, ServerEvent, SystemEvent,
    YearEnd,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;

use super::chats::chat_updated;
use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::access::Standing;
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::classes::{self, CreateClassError, grade_of_name};
use crate::db;
use crate::error::AppError;
use crate::event_log::Pending;
use crate::extract;
use crate::invites::MOSCOW;
use crate::people::{self, display_name};
use crate::timeline;

/// Letters of one call of [`bulk`]: with the eleven grades, at most 110 classes at once.
pub const BULK_LETTERS_MAX: usize = 10;
/// The longest letter part of a class name made in bulk («А», «МБ», «ФМШ»).
pub const BULK_LETTER_MAX_CHARS: usize = 3;

/// A class as stored.
#[derive(sqlx::FromRow)]
struct ClassRow {
    id: i64,
    school_id: i64,
    name: String,
    kind: String,
    size: Option<i64>,
    archived: bool,
    homeroom_id: Option<i64>,
}

impl ClassRow {
    fn staff_room(&self) -> bool {
        self.kind == "staff_room"
    }

    fn record(&self) -> Record<'_> {
        Record { class_id: Some(self.id), class_name: Some(&self.name), ..Record::default() }
    }
}

/// The class, for an administrator of its school: `not_found` when there is no such class or the
/// person is not a member of its school, `forbidden` for its other members.
async fn admin_class(conn: &mut SqliteConnection, class_id: i64, user_id: i64) -> Result<ClassRow, AppError> {
    let class: ClassRow = sqlx::query_as(
        "SELECT id, school_id, name, kind, size, archived_at IS NOT NULL AS archived, homeroom_id
         FROM classes WHERE id = ?",
    )
    .bind(class_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Standing::load(&mut *conn, class.school_id, user_id).await?.require_admin()?;
    Ok(class)
}

fn staff_room_unchanged() -> AppError {
    AppError::Conflict("«Учительская» is never renamed, archived, deleted or given teachers here".into())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    grade: Option<i64>,
    kind: String,
    archived: bool,
    size: Option<i64>,
    homeroom_id: Option<i64>,
    homeroom_first_name: Option<String>,
    homeroom_last_name: Option<String>,
    homeroom_verified: bool,
    students: i64,
    parents: i64,
}

#[derive(sqlx::FromRow)]
struct TeacherRow {
    class_id: i64,
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    teacher_verified: bool,
}

/// The school's classes (or only the class `only`) as the «Классы» screen lists them: «Учительская»
/// first, then by grade (classes without one after) and name, archived classes last.
async fn summaries(
    conn: &mut SqliteConnection,
    school_id: i64,
    only: Option<i64>,
) -> Result<Vec<ClassSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT c.id, c.name, c.grade, c.kind, c.archived_at IS NOT NULL AS archived, c.size, c.homeroom_id,
                h.first_name AS homeroom_first_name, h.last_name AS homeroom_last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = c.school_id AND v.user_id = h.id)
                    AS homeroom_verified,
                (SELECT COUNT(DISTINCT user_id) FROM memberships WHERE class_id = c.id AND role = 'student')
                    AS students,
                (SELECT COUNT(DISTINCT user_id) FROM memberships WHERE class_id = c.id AND role = 'parent')
                    AS parents
         FROM classes c LEFT JOIN users h ON h.id = c.homeroom_id
         WHERE c.school_id = ?1 AND (?2 IS NULL OR c.id = ?2)
         ORDER BY c.kind <> 'staff_room', c.archived_at IS NOT NULL, c.grade IS NULL, c.grade, c.name, c.id",
    )
    .bind(school_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;

    let teacher_rows: Vec<TeacherRow> = sqlx::query_as(
        "SELECT m.class_id, u.id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = m.school_id AND v.user_id = u.id)
                    AS teacher_verified
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.school_id = ?1 AND m.role = 'teacher' AND m.class_id IS NOT NULL
           AND (?2 IS NULL OR m.class_id = ?2)
         ORDER BY u.last_name, u.first_name, u.id",
    )
    .bind(school_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut teachers: HashMap<i64, Vec<PersonRef>> = HashMap::new();
    for row in teacher_rows {
        let name = display_name(row.first_name.as_deref(), row.last_name.as_deref());
        let teacher = PersonRef { id: row.id, name, teacher_verified: row.teacher_verified };
        teachers.entry(row.class_id).or_default().push(teacher);
    }

    let chat_rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT class_id, id, title, kind FROM chats
         WHERE school_id = ?1 AND class_id IS NOT NULL AND (?2 IS NULL OR class_id = ?2)
         ORDER BY id",
    )
    .bind(school_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut chats: HashMap<i64, Vec<ClassChat>> = HashMap::new();
    for (class_id, id, title, kind) in chat_rows {
        chats.entry(class_id).or_default().push(ClassChat { id, title, kind: ChatKind::parse(&kind) });
    }

    Ok(rows
        .into_iter()
        .map(|row| ClassSummary {
            id: row.id,
            grade: row.grade.and_then(|grade| u8::try_from(grade).ok()),
            staff_room: row.kind == "staff_room",
            archived: row.archived,
            size: row.size.and_then(|size| u32::try_from(size).ok()),
            homeroom: row.homeroom_id.map(|id| PersonRef {
                id,
                name: display_name(row.homeroom_first_name.as_deref(), row.homeroom_last_name.as_deref()),
                teacher_verified: row.homeroom_verified,
            }),
            teachers: teachers.remove(&row.id).unwrap_or_default(),
            students: u32::try_from(row.students).unwrap_or(u32::MAX),
            parents: u32::try_from(row.parents).unwrap_or(u32::MAX),
            chats: chats.remove(&row.id).unwrap_or_default(),
            name: row.name,
        })
        .collect())
}

async fn summary(
    conn: &mut SqliteConnection,
    school_id: i64,
    class_id: i64,
) -> Result<ClassSummary, AppError> {
    summaries(conn, school_id, Some(class_id)).await?.pop().ok_or(AppError::NotFound)
}

/// The school's classes, «Учительская» first, then by grade and name, archived classes last
/// (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/classes",
    operation_id = "list_classes",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The classes", body = Vec<ClassSummary>),
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
) -> Result<Json<Vec<ClassSummary>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(summaries(&mut conn, school_id, None).await?))
}

/// Creates a class with its class chat and its parents' chat (nobody in them yet: people join through
/// the class's invites). Its grade is read from the name's leading number.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/classes",
    operation_id = "create_class",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = NewClass,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The new class", body = ClassSummary),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `name` (`required`, `too_long`: 50, `not_allowed`: the school has a class of that name, in any case), `size` (`out_of_range`: 1 to `CLASS_SIZE_MAX`)", body = ApiError),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(new): extract::Json<NewClass>,
) -> Result<(StatusCode, Json<ClassSummary>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let mut problems = Vec::new();
    if let Some(problem) = new.size.and_then(size_problem) {
        problems.push(field("size", problem));
    }
    let mut tx = db::begin_write(&state.db).await?;
    let now = state.clock.unix();
    let created =
        match classes::insert_class(&mut tx, school_id, &new.name, grade_of_name(&new.name), now).await {
            Ok(created) if problems.is_empty() => created,
            Ok(_) => return Err(AppError::Validation(problems)),
            Err(error) => {
                let problem = name_problem(error)?;
                problems.insert(0, field("name", problem));
                return Err(AppError::Validation(problems));
            }
        };
    sqlx::query("UPDATE classes SET size = ? WHERE id = ?")
        .bind(new.size)
        .bind(created.class_id)
        .execute(&mut *tx)
        .await?;
    let record =
        Record { class_id: Some(created.class_id), class_name: Some(&created.name), ..Record::default() };
    audit::record(&mut tx, school_id, session.user_id, AuditAction::ClassCreated, record, now).await?;
    let class = summary(&mut tx, school_id, created.class_id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(class)))
}

/// What is wrong with a class name, as a field problem; a failure of the database stays one.
fn name_problem(error: CreateClassError) -> Result<FieldProblem, AppError> {
    match error {
        CreateClassError::NoName => Ok(FieldProblem::Required),
        CreateClassError::NameTooLong => Ok(FieldProblem::TooLong),
        CreateClassError::Taken(_) => Ok(FieldProblem::NotAllowed),
        CreateClassError::InvalidGrade(_) => Ok(FieldProblem::OutOfRange),
        CreateClassError::NoSuchSchool(_) => Err(AppError::NotFound),
        CreateClassError::Database(error) => Err(AppError::Database(error)),
    }
}

fn size_problem(size: u32) -> Option<FieldProblem> {
    (!(1..=CLASS_SIZE_MAX).contains(&size)).then_some(FieldProblem::OutOfRange)
}

/// Creates every grade × letter at once («5А», «5Б», «6А», «6Б»), each with its chats; names the
/// school already has (in any case) are skipped.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/classes/bulk",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = BulkClasses,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The classes made, by grade and then in the order of the letters, and the names skipped", body = BulkCreated),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `grades` (`required`, `out_of_range`: each 1 to 11), `letters` (`required`; `too_long`: more than 3 letters; `invalid_characters`: not Cyrillic or Latin letters; `out_of_range`: more than 10 letters)", body = ApiError),
    ),
)]
pub async fn bulk(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<BulkClasses>,
) -> Result<(StatusCode, Json<BulkCreated>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let mut problems = Vec::new();
    let mut grades = body.grades.clone();
    grades.sort_unstable();
    grades.dedup();
    if grades.is_empty() {
        problems.push(field("grades", FieldProblem::Required));
    } else if grades.iter().any(|grade| !GRADES.contains(grade)) {
        problems.push(field("grades", FieldProblem::OutOfRange));
    }
    let letters = match letters(&body.letters) {
        Ok(letters) if letters.len() > BULK_LETTERS_MAX => Err(FieldProblem::OutOfRange),
        checked => checked,
    }
    .map_err(|problem| problems.push(field("letters", problem)))
    .unwrap_or_default();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let now = state.clock.unix();
    let mut tx = db::begin_write(&state.db).await?;
    let mut created = Vec::new();
    let mut skipped = Vec::new();
    for &grade in &grades {
        for letter in &letters {
            let name = format!("{grade}{letter}");
            match classes::insert_class(&mut tx, school_id, &name, Some(i64::from(grade)), now).await {
                Ok(class) => {
                    let record = Record {
                        class_id: Some(class.class_id),
                        class_name: Some(&name),
                        ..Record::default()
                    };
                    audit::record(
                        &mut tx,
                        school_id,
                        session.user_id,
                        AuditAction::ClassCreated,
                        record,
                        now,
                    )
                    .await?;
                    created.push(summary(&mut tx, school_id, class.class_id).await?);
                }
                Err(CreateClassError::Taken(_)) => skipped.push(name),
                Err(error) => {
                    return Err(match name_problem(error) {
                        Ok(problem) => AppError::Validation(vec![field("letters", problem)]),
                        Err(error) => error,
                    });
                }
            }
        }
    }
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(BulkCreated { created, skipped })))
}

/// The letters trimmed, upper-cased and without repeats, in their order.
fn letters(given: &[String]) -> Result<Vec<String>, FieldProblem> {
    let mut letters: Vec<String> = Vec::new();
    for letter in given {
        let letter = letter.trim().to_uppercase();
        if letter.is_empty() {
            return Err(FieldProblem::Required);
        }
        if letter.chars().count() > BULK_LETTER_MAX_CHARS {
            return Err(FieldProblem::TooLong);
        }
        let alphabetic = |c: char| c.is_ascii_uppercase() || ('А'..='Я').contains(&c) || c == 'Ё';
        if !letter.chars().all(alphabetic) {
            return Err(FieldProblem::InvalidCharacters);
        }
        if !letters.contains(&letter) {
            letters.push(letter);
        }
    }
    if letters.is_empty() { Err(FieldProblem::Required) } else { Ok(letters) }
}

/// Changes a class: its name (its class chat and parents' chat follow while they keep their default
/// titles, and their timelines say so), its size, whether it is archived, and its class teacher. A
/// class teacher who does not teach the class yet becomes one of its teachers (and joins its class chat
/// and parents' chat). Archiving makes the class's chats read-only: members keep reading them, nobody
/// posts (`cannot_post`).
#[utoipa::path(
    patch,
    path = "/api/v1/classes/{id}",
    operation_id = "update_class",
    tag = "school administration",
    params(("id" = i64, Path, description = "Class id")),
    request_body = ClassChanges,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The class as it is now", body = ClassSummary),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator of its school", body = ApiError),
        (status = 404, description = "`not_found`: no such class, or the person is not a member of its school", body = ApiError),
        (status = 409, description = "`conflict`: «Учительская» is not changed", body = ApiError),
        (status = 422, description = "`validation`: `name` (`required`, `too_long`: 50, `not_allowed`: another class has it), `size` (`out_of_range`: 1 to `CLASS_SIZE_MAX`), `homeroom_id` (`not_allowed`: not a teacher of the school)", body = ApiError),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    session: Session,
    extract::Path(class_id): extract::Path<i64>,
    extract::Json(changes): extract::Json<ClassChanges>,
) -> Result<Json<ClassSummary>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let actor = session.user_id;
    let now = state.clock.unix();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let class = admin_class(&mut tx, class_id, actor).await?;
    let school_id = class.school_id;
    if class.staff_room() && changes != ClassChanges::default() {
        return Err(staff_room_unchanged());
    }

    let mut problems = Vec::new();
    let mut name = None;
    match changes.name.as_deref().map(classes::check_name) {
        Some(Ok(new)) if new != class.name => {
            if classes::taken(&mut tx, school_id, new, Some(class_id)).await? {
                problems.push(field("name", FieldProblem::NotAllowed));
            } else {
                name = Some(new);
            }
        }
        Some(Err(error)) => problems.push(field("name", name_problem(error)?)),
        Some(Ok(_)) | None => {}
    }
    if let Some(problem) = changes.size.flatten().and_then(size_problem) {
        problems.push(field("size", problem));
    }
    if let Some(Some(homeroom_id)) = changes.homeroom_id
        && !teaches_at(&mut tx, school_id, homeroom_id).await?
    {
        problems.push(field("homeroom_id", FieldProblem::NotAllowed));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let mut pending = Pending::default();
    let mut joined = Vec::new();
    if let Some(name) = name {
        let renamed = classes::rename(&mut tx, class_id, &class.name, name, grade_of_name(name)).await?;
        announce_renames(&mut tx, &renamed, now, &mut pending).await?;
        let record = Record { from: Some(&class.name), to: Some(name), ..class.record() };
        audit::record(&mut tx, school_id, actor, AuditAction::ClassRenamed, record, now).await?;
    }
    if let Some(archived) = changes.archived.filter(|&archived| archived != class.archived) {
        set_archived(&mut tx, class_id, archived, now, &mut pending).await?;
        let action = if archived { AuditAction::ClassArchived } else { AuditAction::ClassRestored };
        audit::record(&mut tx, school_id, actor, action, class.record(), now).await?;
    }
    if let Some(size) = changes.size.filter(|&size| size.map(i64::from) != class.size) {
        sqlx::query("UPDATE classes SET size = ? WHERE id = ?")
            .bind(size)
            .bind(class_id)
            .execute(&mut *tx)
            .await?;
        let (from, to) = (class.size.map(|size| size.to_string()), size.map(|size| size.to_string()));
        let record = Record { from: from.as_deref(), to: to.as_deref(), ..class.record() };
        audit::record(&mut tx, school_id, actor, AuditAction::ClassSizeSet, record, now).await?;
    }
    if let Some(homeroom_id) = changes.homeroom_id.filter(|&homeroom_id| homeroom_id != class.homeroom_id) {
        if let Some(teacher_id) = homeroom_id
            && assign(&mut tx, &class, teacher_id, now, &mut pending).await?
        {
            let record = Record { subject_id: Some(teacher_id), ..class.record() };
            audit::record(&mut tx, school_id, actor, AuditAction::TeacherAssigned, record, now).await?;
            joined.push(teacher_id);
        }
        sqlx::query("UPDATE classes SET homeroom_id = ? WHERE id = ?")
            .bind(homeroom_id)
            .bind(class_id)
            .execute(&mut *tx)
            .await?;
        let (action, subject_id) = match homeroom_id {
            Some(teacher_id) => (AuditAction::HomeroomSet, Some(teacher_id)),
            None => (AuditAction::HomeroomCleared, class.homeroom_id),
        };
        audit::record(&mut tx, school_id, actor, action, Record { subject_id, ..class.record() }, now)
            .await?;
    }
    let answer = summary(&mut tx, school_id, class_id).await?;
    tx.commit().await?;
    pending.publish(&state.hub);
    drop(order);
    state.hub.send_all(joined, &ServerEvent::MembershipsChanged);
    Ok(Json(answer))
}

/// Archives or restores a class; its chats' members hear that the chats changed (posting in them).
async fn set_archived(
    conn: &mut SqliteConnection,
    class_id: i64,
    archived: bool,
    now: i64,
    pending: &mut Pending,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE classes SET archived_at = ? WHERE id = ?")
        .bind(archived.then_some(now))
        .bind(class_id)
        .execute(&mut *conn)
        .await?;
    let chats: Vec<i64> = sqlx::query_scalar("SELECT id FROM chats WHERE class_id = ? ORDER BY id")
        .bind(class_id)
        .fetch_all(&mut *conn)
        .await?;
    for chat_id in chats {
        let frame = chat_updated(conn, chat_id, now).await?;
        pending.push(frame, timeline::member_ids(conn, chat_id).await?);
    }
    Ok(())
}

/// Says in each renamed chat's timeline that it was renamed, as a manager's rename does.
async fn announce_renames(
    conn: &mut SqliteConnection,
    renamed: &[(i64, String)],
    now: i64,
    pending: &mut Pending,
) -> Result<(), sqlx::Error> {
    for (chat_id, title) in renamed {
        let renamed = SystemEvent::ChatRenamed { title: title.clone() };
        let members = timeline::member_ids(conn, *chat_id).await?;
        pending.push(timeline::post_system(conn, *chat_id, &renamed, now).await?, members.clone());
        pending.push(chat_updated(conn, *chat_id, now).await?, members);
    }
    Ok(())
}

/// Deletes a class and its chats, only while nothing happened in it: no members, no waiting join
/// requests and no messages in its chats (but the chats' own notices). A class that was used is
/// archived instead.
#[utoipa::path(
    delete,
    path = "/api/v1/classes/{id}",
    operation_id = "delete_class",
    tag = "school administration",
    params(("id" = i64, Path, description = "Class id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The class and its chats are gone"),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator of its school", body = ApiError),
        (status = 404, description = "`not_found`: no such class, or the person is not a member of its school", body = ApiError),
        (status = 409, description = "`class_not_empty`: it has members, waiting join requests or messages (archive it instead); `conflict`: «Учительская»", body = ApiError),
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    extract::Path(class_id): extract::Path<i64>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let class = admin_class(&mut tx, class_id, session.user_id).await?;
    if class.staff_room() {
        return Err(staff_room_unchanged());
    }
    let used: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE class_id = ?1)
             OR EXISTS (SELECT 1 FROM join_requests WHERE class_id = ?1 AND status = 'pending')
             OR EXISTS (SELECT 1 FROM messages m JOIN chats c ON c.id = m.chat_id
                        WHERE c.class_id = ?1 AND m.kind <> 'system')",
    )
    .bind(class_id)
    .fetch_one(&mut *tx)
    .await?;
    if used {
        return Err(AppError::ClassNotEmpty);
    }
    // People added to its chats by hand lose them: their chat lists must hear so.
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT cm.user_id FROM chat_members cm JOIN chats c ON c.id = cm.chat_id WHERE c.class_id = ?",
    )
    .bind(class_id)
    .fetch_all(&mut *tx)
    .await?;
    // Chats only lose their class when it goes (`ON DELETE SET NULL`): they go first.
    sqlx::query("DELETE FROM chats WHERE class_id = ?").bind(class_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM classes WHERE id = ?").bind(class_id).execute(&mut *tx).await?;
    let record = Record { class_name: Some(&class.name), ..Record::default() };
    let now = state.clock.unix();
    audit::record(&mut tx, class.school_id, session.user_id, AuditAction::ClassDeleted, record, now).await?;
    tx.commit().await?;
    state.hub.send_all(members, &ServerEvent::MembershipsChanged);
    Ok(StatusCode::NO_CONTENT)
}

/// Makes a teacher of the school a teacher of the class: they join its class chat and parents' chat.
/// Assigning them again changes nothing. A waiting request of theirs for a class is granted.
#[utoipa::path(
    put,
    path = "/api/v1/classes/{id}/teachers/{user_id}",
    tag = "school administration",
    params(("id" = i64, Path, description = "Class id"), ("user_id" = i64, Path, description = "The teacher's user id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The class as it is now", body = ClassSummary),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator of its school", body = ApiError),
        (status = 404, description = "`not_found`: no such class, or the person is not a member of its school", body = ApiError),
        (status = 409, description = "`conflict`: `user_id` is not a teacher of the school, or the class is «Учительская»", body = ApiError),
    ),
)]
pub async fn assign_teacher(
    State(state): State<AppState>,
    session: Session,
    extract::Path((class_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<Json<ClassSummary>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let class = admin_class(&mut tx, class_id, session.user_id).await?;
    if class.staff_room() {
        return Err(staff_room_unchanged());
    }
    if !teaches_at(&mut tx, class.school_id, user_id).await? {
        return Err(AppError::Conflict("only a teacher of the school teaches a class".into()));
    }
    let mut pending = Pending::default();
    let assigned = assign(&mut tx, &class, user_id, now, &mut pending).await?;
    if assigned {
        let record = Record { subject_id: Some(user_id), ..class.record() };
        audit::record(&mut tx, class.school_id, session.user_id, AuditAction::TeacherAssigned, record, now)
            .await?;
    }
    // A class of any kind answers the teacher's request for one.
    let granted =
        super::class_requests::grant(&mut tx, class.school_id, user_id, session.user_id, now).await?;
    let answer = summary(&mut tx, class.school_id, class_id).await?;
    tx.commit().await?;
    pending.publish(&state.hub);
    drop(order);
    if assigned {
        state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    }
    if granted {
        super::class_requests::announce(&state, class.school_id, user_id).await?;
    }
    Ok(Json(answer))
}

/// Makes a teacher of the class no longer one: they leave its class chat and parents' chat (unless they
/// are there as its student or parent), and stop being its class teacher. Unassigning someone who does
/// not teach the class changes nothing.
#[utoipa::path(
    delete,
    path = "/api/v1/classes/{id}/teachers/{user_id}",
    tag = "school administration",
    params(("id" = i64, Path, description = "Class id"), ("user_id" = i64, Path, description = "The teacher's user id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The class as it is now", body = ClassSummary),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator of its school", body = ApiError),
        (status = 404, description = "`not_found`: no such class, or the person is not a member of its school", body = ApiError),
        (status = 409, description = "`conflict`: the class is «Учительская»", body = ApiError),
    ),
)]
pub async fn unassign_teacher(
    State(state): State<AppState>,
    session: Session,
    extract::Path((class_id, user_id)): extract::Path<(i64, i64)>,
) -> Result<Json<ClassSummary>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let actor = session.user_id;
    let now = state.clock.unix();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let class = admin_class(&mut tx, class_id, actor).await?;
    if class.staff_room() {
        return Err(staff_room_unchanged());
    }
    let removed =
        sqlx::query("DELETE FROM memberships WHERE class_id = ? AND user_id = ? AND role = 'teacher'")
            .bind(class_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    let unassigned = removed.rows_affected() > 0;
    let mut pending = Pending::default();
    if unassigned {
        leave_class_chats(&mut tx, class_id, user_id, now, &mut pending).await?;
        let record = Record { subject_id: Some(user_id), ..class.record() };
        audit::record(&mut tx, class.school_id, actor, AuditAction::TeacherUnassigned, record, now).await?;
    }
    if class.homeroom_id == Some(user_id) {
        sqlx::query("UPDATE classes SET homeroom_id = NULL WHERE id = ?")
            .bind(class_id)
            .execute(&mut *tx)
            .await?;
        let record = Record { subject_id: Some(user_id), ..class.record() };
        audit::record(&mut tx, class.school_id, actor, AuditAction::HomeroomCleared, record, now).await?;
    }
    let answer = summary(&mut tx, class.school_id, class_id).await?;
    tx.commit().await?;
    pending.publish(&state.hub);
    drop(order);
    if unassigned {
        state.hub.send(user_id, &ServerEvent::MembershipsChanged);
    }
    Ok(Json(answer))
}

/// Whether the person is a teacher of the school (of any class, or of «Учительская»).
async fn teaches_at(conn: &mut SqliteConnection, school_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships WHERE school_id = ? AND user_id = ? AND role = 'teacher')",
    )
    .bind(school_id)
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// The chats a class's teachers are in by teaching it: its class chat and its parents' chat.
async fn teacher_chats(
    conn: &mut SqliteConnection,
    class_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind FROM chats WHERE class_id = ? AND kind IN ('class', 'parents') ORDER BY id",
    )
    .bind(class_id)
    .fetch_all(conn)
    .await
}

/// Makes the person a teacher of the class and a member of its [`teacher_chats`], whose timelines say
/// so; whether they were not one already.
async fn assign(
    conn: &mut SqliteConnection,
    class: &ClassRow,
    user_id: i64,
    now: i64,
    pending: &mut Pending,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT OR IGNORE INTO memberships (school_id, user_id, class_id, role, created_at)
         VALUES (?, ?, ?, 'teacher', ?)",
    )
    .bind(class.school_id)
    .bind(user_id)
    .bind(class.id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    let name = people::name(&mut *conn, user_id).await?;
    for (chat_id, _) in teacher_chats(conn, class.id).await? {
        if db::join_chat(&mut *conn, chat_id, user_id, true, now).await?.rows_affected() == 1 {
            let joined = SystemEvent::MemberJoined { user_id: Some(user_id), name: name.clone() };
            let members = timeline::member_ids(conn, chat_id).await?;
            pending.push(timeline::post_system(conn, chat_id, &joined, now).await?, members.clone());
            pending.push(chat_updated(conn, chat_id, now).await?, members);
        }
    }
    Ok(true)
}

/// Takes a former teacher of the class out of its [`teacher_chats`], but for those their other roles
/// in the class keep them in (a student's class chat, a parent's parents' chat).
async fn leave_class_chats(
    conn: &mut SqliteConnection,
    class_id: i64,
    user_id: i64,
    now: i64,
    pending: &mut Pending,
) -> Result<(), sqlx::Error> {
    let roles: HashSet<String> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE class_id = ? AND user_id = ?")
            .bind(class_id)
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let name = people::name(&mut *conn, user_id).await?;
    for (chat_id, kind) in teacher_chats(conn, class_id).await? {
        let kept_by = if kind == "class" { "student" } else { "parent" };
        if roles.contains(kept_by) {
            continue;
        }
        let removed = sqlx::query("DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?")
            .bind(chat_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        if removed.rows_affected() == 1 {
            let removed = SystemEvent::MemberRemoved { user_id: Some(user_id), name: name.clone() };
            let frame = timeline::post_system(conn, chat_id, &removed, now).await?;
            let members = timeline::member_ids(conn, chat_id).await?;
            pending.push(frame, members.clone());
            pending.push(chat_updated(conn, chat_id, now).await?, members);
        }
    }
    Ok(())
}

/// A class the year-end transfer moves.
#[derive(sqlx::FromRow)]
struct TransferRow {
    id: i64,
    name: String,
    grade: i64,
}

impl TransferRow {
    fn graduates(&self) -> bool {
        self.grade >= i64::from(*GRADES.end())
    }

    fn to_api(&self) -> ClassTransfer {
        ClassTransfer {
            class_id: self.id,
            name: self.name.clone(),
            becomes: (!self.graduates()).then(|| classes::promoted_name(&self.name, self.grade + 1)),
        }
    }
}

/// The classes the transfer moves: those with a grade that are not archived, by grade and name.
async fn transferred(conn: &mut SqliteConnection, school_id: i64) -> Result<Vec<TransferRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, grade FROM classes
         WHERE school_id = ? AND kind = 'class' AND archived_at IS NULL AND grade IS NOT NULL
         ORDER BY grade, name, id",
    )
    .bind(school_id)
    .fetch_all(conn)
    .await
}

/// What the year-end transfer would do (administrators): every class that is not archived and has a
/// grade moves a grade up («5А» → «6А»); eleventh grades graduate (`becomes` absent). Classes without a
/// grade are left alone.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/year-end",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The preview, by grade and name", body = YearEnd),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn year_end(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<YearEnd>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let mut conn = state.db.acquire().await?;
    let classes = transferred(&mut conn, school_id).await?.iter().map(TransferRow::to_api).collect();
    Ok(Json(YearEnd { classes }))
}

/// Applies the year-end transfer the administrator reviewed, in one transaction: graduating classes are
/// archived and renamed «11А (выпуск 2027)» (freeing their names), then the others are renamed from the
/// highest grade down, so that «10А» becomes «11А» only once the old «11А» is out of the way. Class
/// chats and parents' chats with their default titles follow; members keep every chat.
#[utoipa::path(
    post,
    path = "/api/v1/schools/{school_id}/year-end",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = YearEnd,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Done: the school's classes as they are now", body = Vec<ClassSummary>),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 409, description = "`conflict`: the classes changed since the preview (look again), or a new name is another class's (an archived or ungraded one: rename it first)", body = ApiError),
    ),
)]
pub async fn transfer(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(reviewed): extract::Json<YearEnd>,
) -> Result<Json<Vec<ClassSummary>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let actor = session.user_id;
    let now = state.clock.unix();
    let order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    Standing::load(&mut *tx, school_id, actor).await?.require_admin()?;
    let mut moving = transferred(&mut tx, school_id).await?;
    let by_id = |transfers: &mut Vec<ClassTransfer>| transfers.sort_by_key(|transfer| transfer.class_id);
    let mut current: Vec<ClassTransfer> = moving.iter().map(TransferRow::to_api).collect();
    let mut reviewed = reviewed.classes;
    by_id(&mut current);
    by_id(&mut reviewed);
    if current != reviewed {
        return Err(AppError::Conflict("the classes changed since the preview: look again".into()));
    }

    let year = state.clock.now().to_offset(MOSCOW).year();
    let new_name = |class: &TransferRow| {
        if class.graduates() {
            format!("{} (выпуск {year})", class.name)
        } else {
            classes::promoted_name(&class.name, class.grade + 1)
        }
    };
    let moving_ids: HashSet<i64> = moving.iter().map(|class| class.id).collect();
    let others: HashSet<String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM classes WHERE school_id = ?")
            .bind(school_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .filter(|(id, _)| !moving_ids.contains(id))
            .map(|(_, name)| name.to_lowercase())
            .collect();
    if let Some(clash) = moving.iter().map(new_name).find(|name| others.contains(&name.to_lowercase())) {
        return Err(AppError::Conflict(format!("another class is called «{clash}»: rename it first")));
    }

    // Graduates first, then from the highest grade down: every new name is free when it is taken.
    moving.sort_by_key(|class| (!class.graduates(), std::cmp::Reverse(class.grade)));
    let mut pending = Pending::default();
    for class in &moving {
        let name = new_name(class);
        let record = Record { class_id: Some(class.id), class_name: Some(&class.name), ..Record::default() };
        let grade = if class.graduates() { class.grade } else { class.grade + 1 };
        let renamed = classes::rename(&mut tx, class.id, &class.name, &name, Some(grade)).await?;
        announce_renames(&mut tx, &renamed, now, &mut pending).await?;
        if class.graduates() {
            set_archived(&mut tx, class.id, true, now, &mut pending).await?;
            audit::record(&mut tx, school_id, actor, AuditAction::ClassArchived, record.clone(), now).await?;
        }
        let renaming = Record { from: Some(&class.name), to: Some(&name), ..record };
        audit::record(&mut tx, school_id, actor, AuditAction::ClassRenamed, renaming, now).await?;
    }
    let count = moving.len().to_string();
    let record = Record { to: Some(&count), ..Record::default() };
    audit::record(&mut tx, school_id, actor, AuditAction::YearTransferred, record, now).await?;
    let answer = summaries(&mut tx, school_id, None).await?;
    tx.commit().await?;
    pending.publish(&state.hub);
    drop(order);
    Ok(Json(answer))
}

//! The school in numbers, for its head: who is in it, how far each class has come into Parta, how many
//! people use it and how much they write.

use std::collections::{HashMap, HashSet};

use api::{ApiError, ClassAdoption, DayCount, Role, RoleCount, SchoolStats};
use axum::Json;
use axum::extract::State;
use sqlx::SqliteConnection;
use time::{Date, Duration};

use super::roster::administrator;
use crate::AppState;
use crate::auth::session::Session;
use crate::clock::iso_date;
use crate::error::AppError;
use crate::extract;
use crate::timeline::WRITTEN_KINDS;

/// How many days `active_per_day` and `messages_per_day` cover, today included.
const DAYS: i64 = 30;
/// How many weeks `active_per_week` covers, this one included.
const WEEKS: i64 = 12;

/// The school's statistics: its people by role (each person once per role), its classes' adoption
/// (not archived, «Учительская» left out), its members active each of the last 30 days and 12 weeks
/// (by their Monday), and the messages written in its chats each day. Days are the server's UTC days,
/// oldest first, with zeros where nothing happened.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/stats",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The statistics", body = SchoolStats),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn stats(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<SchoolStats>, AppError> {
    administrator(&state, &session, school_id).await?;
    let today = state.clock.now().date();
    let first_day = today - Duration::days(DAYS - 1);
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first_monday = this_monday - Duration::weeks(WEEKS - 1);
    let mut conn = state.db.acquire().await?;

    let active: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.day, a.user_id FROM activity_days a
         WHERE a.day >= ?2 AND a.user_id IN (SELECT user_id FROM memberships WHERE school_id = ?1)",
    )
    .bind(school_id)
    .bind(iso_date(first_day.min(first_monday)))
    .fetch_all(&mut *conn)
    .await?;
    let mut per_day: HashMap<Date, HashSet<i64>> = HashMap::new();
    let mut per_week: HashMap<Date, HashSet<i64>> = HashMap::new();
    for (day, user_id) in active {
        let Some(day) = parse_day(&day) else { continue };
        per_day.entry(day).or_default().insert(user_id);
        let monday = day - Duration::days(i64::from(day.weekday().number_days_from_monday()));
        per_week.entry(monday).or_default().insert(user_id);
    }
    let distinct = |sets: &HashMap<Date, HashSet<i64>>, date| sets.get(&date).map_or(0, HashSet::len) as i64;

    let start = first_day.midnight().assume_utc().unix_timestamp();
    let written: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT date(m.created_at, 'unixepoch'), COUNT(*) FROM messages m JOIN chats c ON c.id = m.chat_id
         WHERE c.school_id = ? AND m.created_at >= ? AND m.kind IN {WRITTEN_KINDS}
         GROUP BY 1"
    ))
    .bind(school_id)
    .bind(start)
    .fetch_all(&mut *conn)
    .await?;
    let written: HashMap<Date, i64> =
        written.into_iter().filter_map(|(day, count)| Some((parse_day(&day)?, count))).collect();

    Ok(Json(SchoolStats {
        members_by_role: members_by_role(&mut conn, school_id).await?,
        classes: classes(&mut conn, school_id).await?,
        active_per_day: series(first_day, DAYS, 1, |day| distinct(&per_day, day)),
        active_per_week: series(first_monday, WEEKS, 7, |monday| distinct(&per_week, monday)),
        messages_per_day: series(first_day, DAYS, 1, |day| written.get(&day).copied().unwrap_or(0)),
    }))
}

fn parse_day(day: &str) -> Option<Date> {
    Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// `count` dates `step_days` apart from `first` on, each with its number.
fn series(first: Date, count: i64, step_days: i64, number: impl Fn(Date) -> i64) -> Vec<DayCount> {
    (0..count)
        .map(|i| first + Duration::days(i * step_days))
        .map(|date| DayCount { day: iso_date(date), count: u32::try_from(number(date)).unwrap_or(u32::MAX) })
        .collect()
}

/// Every role, with how many people hold it (a teacher of three classes counts once).
async fn members_by_role(conn: &mut SqliteConnection, school_id: i64) -> Result<Vec<RoleCount>, sqlx::Error> {
    let counts: HashMap<String, i64> = sqlx::query_as(
        "SELECT role, COUNT(DISTINCT user_id) FROM memberships WHERE school_id = ? GROUP BY role",
    )
    .bind(school_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .collect();
    Ok([Role::Admin, Role::Teacher, Role::Student, Role::Parent]
        .into_iter()
        .map(|role| RoleCount {
            role,
            count: u32::try_from(counts.get(role.as_str()).copied().unwrap_or(0)).unwrap_or(u32::MAX),
        })
        .collect())
}

/// The classes that are not archived, by grade and name, with the students and parents who joined.
async fn classes(conn: &mut SqliteConnection, school_id: i64) -> Result<Vec<ClassAdoption>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, c.size,
                (SELECT COUNT(DISTINCT user_id) FROM memberships WHERE class_id = c.id AND role = 'student'),
                (SELECT COUNT(DISTINCT user_id) FROM memberships WHERE class_id = c.id AND role = 'parent')
         FROM classes c
         WHERE c.school_id = ? AND c.kind = 'class' AND c.archived_at IS NULL
         ORDER BY c.grade, c.name, c.id",
    )
    .bind(school_id)
    .fetch_all(conn)
    .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(rows
        .into_iter()
        .map(|(class_id, name, size, students, parents)| ClassAdoption {
            class_id,
            name,
            size: size.and_then(|size| u32::try_from(size).ok()),
            students: count(students),
            parents: count(parents),
        })
        .collect())
}

//! The audit log: every administrative action, who did it, to whom, when. Written by the action's own
//! transaction, so an action and its record exist together or not at all.

use api::{AuditAction, AuditEntry, Author};
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::clock::rfc3339;
use crate::people::display_name;

/// One entry to write. Names go in as they are now, so the log keeps reading right after renames.
#[derive(Clone, Debug, Default)]
pub struct Record<'a> {
    pub subject_id: Option<i64>,
    pub class_id: Option<i64>,
    /// Without it, the current name of `class_id`.
    pub class_name: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// Writes `action` by `actor_id` in `school_id` inside the caller's transaction.
pub async fn record(
    tx: &mut SqliteConnection,
    school_id: i64,
    actor_id: i64,
    action: AuditAction,
    record: Record<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (school_id, actor_id, action, subject_id, class_id, class_name, from_value, to_value, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, (SELECT name FROM classes WHERE id = ?5)), ?7, ?8, ?9)",
    )
    .bind(school_id)
    .bind(actor_id)
    .bind(action.as_str())
    .bind(record.subject_id)
    .bind(record.class_id)
    .bind(record.class_name)
    .bind(record.from)
    .bind(record.to)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Which entries to read; every filter is optional.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub action: Option<AuditAction>,
    pub actor_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// Only entries older than this one.
    pub before: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    created_at: i64,
    action: String,
    actor_id: Option<i64>,
    actor_first_name: Option<String>,
    actor_last_name: Option<String>,
    actor_verified: bool,
    subject_id: Option<i64>,
    subject_first_name: Option<String>,
    subject_last_name: Option<String>,
    subject_verified: bool,
    class_name: Option<String>,
    from_value: Option<String>,
    to_value: Option<String>,
}

/// Up to `limit` entries of the school, newest first.
pub async fn entries<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
    filter: Filter,
    limit: u32,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT a.id, a.created_at, a.action,
                a.actor_id, au.first_name AS actor_first_name, au.last_name AS actor_last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = a.school_id AND v.user_id = a.actor_id)
                    AS actor_verified,
                a.subject_id, su.first_name AS subject_first_name, su.last_name AS subject_last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = a.school_id AND v.user_id = a.subject_id)
                    AS subject_verified,
                a.class_name, a.from_value, a.to_value
         FROM audit_log a
         LEFT JOIN users au ON au.id = a.actor_id
         LEFT JOIN users su ON su.id = a.subject_id
         WHERE a.school_id = ?1 AND (?2 IS NULL OR a.action = ?2) AND (?3 IS NULL OR a.actor_id = ?3)
           AND (?4 IS NULL OR a.subject_id = ?4) AND (?5 IS NULL OR a.id < ?5)
         ORDER BY a.id DESC
         LIMIT ?6",
    )
    .bind(school_id)
    .bind(filter.action.map(AuditAction::as_str))
    .bind(filter.actor_id)
    .bind(filter.subject_id)
    .bind(filter.before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: rfc3339(row.created_at),
            action: AuditAction::parse(&row.action).unwrap_or(AuditAction::Unknown),
            actor: row.actor_id.map(|id| Author {
                id,
                name: display_name(row.actor_first_name.as_deref(), row.actor_last_name.as_deref()),
                teacher_verified: row.actor_verified,
            }),
            subject: row.subject_id.map(|id| Author {
                id,
                name: display_name(row.subject_first_name.as_deref(), row.subject_last_name.as_deref()),
                teacher_verified: row.subject_verified,
            }),
            class_name: row.class_name,
            from: row.from_value,
            to: row.to_value,
        })
        .collect())
}

//! The audit log: every administrative action, who did it, to whom, when. Written by the action's own
//! transaction, so an action and its record exist together or not at all.

use api::{AuditAction, AuditEntry, PersonRef};
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

/// Which entries [`audit_entries`] reads: every field given must match.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// Only entries older than this one (the next page).
    pub before: Option<i64>,
    /// At most this many; all of them without.
    pub limit: Option<u32>,
}

/// A stored entry with its people's names as they are now (the class keeps its name of the time).
#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    action: String,
    created_at: i64,
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

impl AuditRow {
    fn into_entry(self) -> AuditEntry {
        let person = |id: Option<i64>, first: Option<String>, last: Option<String>, verified: bool| {
            id.map(|id| PersonRef {
                id,
                name: display_name(first.as_deref(), last.as_deref()),
                teacher_verified: verified,
            })
        };
        AuditEntry {
            id: self.id,
            at: rfc3339(self.created_at),
            action: AuditAction::parse(&self.action).unwrap_or(AuditAction::Unknown),
            actor: person(self.actor_id, self.actor_first_name, self.actor_last_name, self.actor_verified),
            subject: person(
                self.subject_id,
                self.subject_first_name,
                self.subject_last_name,
                self.subject_verified,
            ),
            class_name: self.class_name,
            from: self.from_value,
            to: self.to_value,
        }
    }
}

/// The school's entries that match `filter`, newest first.
pub async fn audit_entries<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
    filter: AuditFilter,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.id, a.action, a.created_at,
                a.actor_id, actor.first_name AS actor_first_name, actor.last_name AS actor_last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = a.school_id AND v.user_id = a.actor_id)
                    AS actor_verified,
                a.subject_id, subject.first_name AS subject_first_name, subject.last_name AS subject_last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = a.school_id AND v.user_id = a.subject_id)
                    AS subject_verified,
                a.class_name, a.from_value, a.to_value
         FROM audit_log a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users subject ON subject.id = a.subject_id
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
    // SQLite reads a negative limit as none.
    .bind(filter.limit.map_or(-1, i64::from))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(AuditRow::into_entry).collect())
}

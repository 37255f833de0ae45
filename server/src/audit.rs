//! The audit log: every administrative action, who did it, to whom, when. Written by the action's own
//! transaction, so an action and its record exist together or not at all.

use api::AuditAction;
use sqlx::SqliteConnection;

/// One entry to write. Names go in as they are now, so the log keeps reading right after renames.
#[derive(Clone, Debug, Default)]
pub struct Record<'a> {
    pub subject_id: Option<i64>,
    pub class_id: Option<i64>,
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
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

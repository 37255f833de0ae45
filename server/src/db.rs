//! The SQLite database: one file under the data directory, created and migrated on first start.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult, SqliteSynchronous,
};
use sqlx::{Connection, SqliteExecutor, SqlitePool};

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "parta.db";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating if needed) `<data_dir>/parta.db` and brings its schema up to date.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, OpenError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|source| OpenError::DataDir { path: data_dir.display().to_string(), source })?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(FILE_NAME))
        .create_if_missing(true)
        // WAL lets readers proceed during a write, and lets `create-school` write while a server runs.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .after_release(|conn, _| {
            Box::pin(async move {
                // A request cancelled in the middle of `BEGIN IMMEDIATE` (sqlx checks the transaction
                // started after the statement, at a point where the future can be dropped) leaves the
                // connection inside a transaction that nothing will end: it would hold the write lock
                // for good. The ping waits for a dropped transaction's queued rollback, so what is
                // still open here is such an orphan; closing the connection rolls it back.
                conn.ping().await?;
                if conn.is_in_transaction() {
                    tracing::warn!("a connection came back inside a transaction; closing it");
                    return Ok(false);
                }
                Ok(true)
            })
        })
        .connect_with(options)
        .await?;
    sqlx::migrate!().run(&pool).await?;
    Ok(pool)
}

/// Starts a transaction that writes. `BEGIN IMMEDIATE` takes the write lock up front, so the busy
/// timeout applies; a deferred transaction that reads and then writes would instead fail at once
/// with "database is locked" whenever another connection (the server, a CLI command) wrote meanwhile.
pub async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Forgets what no rule needs any more: codes past the hourly window, ended sessions, events too old
/// to replay.
pub async fn prune(pool: &SqlitePool, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_codes WHERE created_at < ?").bind(now - 2 * 3600).execute(pool).await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?").bind(now).execute(pool).await?;
    let mut tx = begin_write(pool).await?;
    crate::event_log::prune(&mut tx, now).await?;
    tx.commit().await
}

/// Makes the person a member of the chat, unless they are already. Its history counts as read: only what
/// is written from now on is unread for them.
pub async fn join_chat<'e>(
    db: impl SqliteExecutor<'e>,
    chat_id: i64,
    user_id: i64,
    can_post: bool,
    now: i64,
) -> Result<SqliteQueryResult, sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO chat_members (chat_id, user_id, can_post, joined_at, last_read_id)
         VALUES (?1, ?2, ?3, ?4, (SELECT MAX(id) FROM messages WHERE chat_id = ?1))",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(can_post)
    .bind(now)
    .execute(db)
    .await
}

/// The account of a (normalised) phone number, created with an empty profile if it has none.
pub async fn user_for_phone<'e>(
    db: impl SqliteExecutor<'e>,
    phone: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (phone, created_at) VALUES (?, ?)
         ON CONFLICT (phone) DO UPDATE SET phone = excluded.phone
         RETURNING id",
    )
    .bind(phone)
    .bind(now)
    .fetch_one(db)
    .await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A request cancelled while it waits for the write lock (the person closed the page) must not
    /// leave a transaction open on a pooled connection: that connection would hold the write lock for
    /// good, and every other writer (the server's, a CLI command's) would fail with "database is locked".
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_write_leaves_no_transaction_open() {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(dir.path()).await.unwrap();
        for round in 0..3000u64 {
            let wait = Duration::from_micros(round % 400);
            let _ = tokio::time::timeout(wait, async {
                let mut tx = begin_write(&pool).await?;
                sqlx::query("SELECT 1").execute(&mut *tx).await?;
                tx.commit().await
            })
            .await;
        }
        let other = open(dir.path()).await.unwrap();
        let started = std::time::Instant::now();
        let tx = begin_write(&other).await;
        assert!(tx.is_ok(), "locked after {:?}: {:?}", started.elapsed(), tx.err());
    }
}

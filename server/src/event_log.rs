//! Numbered events about chats: kept in the `events` table in the same transaction as the change they
//! describe, published after it commits, and replayed to a client that reconnects after a gap.
//!
//! Writes that record events hold [`AppState::event_order`](crate::AppState) from before their
//! transaction begins until they have published: so events reach sockets in the order of their
//! numbers, and a socket may drop a live event numbered no higher than the last one it replayed.

use api::ServerEvent;
use sqlx::{SqliteConnection, SqlitePool};

use crate::hub::{Frame, Hub};

/// The most events replayed to a reconnecting client; with more, it is told to resync.
pub const REPLAY_MAX: i64 = 500;

/// How long events are kept for replay, in seconds.
pub const KEEP_SECONDS: i64 = 7 * 24 * 3600;

/// Who an event concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Whoever is a member of the chat when the event is delivered or replayed.
    Chat(i64),
    /// One person.
    Person(i64),
}

/// Stores the event `make` builds from its sequence number; returns it ready to publish.
pub async fn record(
    conn: &mut SqliteConnection,
    audience: Audience,
    now: i64,
    make: impl FnOnce(i64) -> ServerEvent,
) -> Result<Frame, sqlx::Error> {
    let (chat_id, user_id) = match audience {
        Audience::Chat(chat_id) => (Some(chat_id), None),
        Audience::Person(user_id) => (None, Some(user_id)),
    };
    // The payload holds its own number, which only the insert hands out.
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (chat_id, user_id, payload, created_at) VALUES (?, ?, '', ?) RETURNING id",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let frame = Frame::new(&make(seq));
    sqlx::query("UPDATE events SET payload = ? WHERE id = ?")
        .bind(frame.text.as_str())
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    Ok(frame)
}

/// Events recorded in a transaction that records them among other changes, with who to tell: published
/// once it has committed (the caller holding `event_order` throughout).
#[derive(Debug, Default)]
pub struct Pending(Vec<(Frame, Vec<i64>)>);

impl Pending {
    pub fn push(&mut self, frame: Frame, user_ids: Vec<i64>) {
        self.0.push((frame, user_ids));
    }

    pub fn publish(self, hub: &Hub) {
        for (frame, user_ids) in self.0 {
            hub.publish(user_ids, &frame);
        }
    }
}

/// What a socket sends before going live.
#[derive(Debug, PartialEq, Eq)]
pub struct Start {
    /// The newest sequence number, for `hello`.
    pub newest: i64,
    /// The frames to send after `hello`: replayed events, or one `resync`.
    pub backlog: Vec<Frame>,
    /// Live events numbered up to this were replayed (or are covered by the resync): skip them.
    pub floor: i64,
}

/// Where a socket of `user_id` starts. Without `after`: at the newest event. With it: the events after
/// it that concern the person (of the chats they are a member of now, and their own), unless there are
/// more than [`REPLAY_MAX`] of them, some were pruned, or `after` is ahead of the newest event (the
/// database was replaced): then a `resync`.
pub async fn start(db: &SqlitePool, user_id: i64, after: Option<i64>) -> Result<Start, sqlx::Error> {
    // One read transaction: the newest number, the pruning mark and the replay are one snapshot.
    let mut tx = db.begin().await?;
    let (newest, pruned_up_to): (i64, i64) = sqlx::query_as(
        "SELECT MAX(IFNULL((SELECT MAX(id) FROM events), 0), up_to), up_to FROM events_pruned",
    )
    .fetch_one(&mut *tx)
    .await?;
    let Some(after) = after else {
        return Ok(Start { newest, backlog: Vec::new(), floor: newest });
    };
    let resync =
        || Start { newest, backlog: vec![Frame::new(&ServerEvent::Resync { seq: newest })], floor: newest };
    if after < pruned_up_to || after > newest {
        return Ok(resync());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, payload FROM events WHERE user_id = ?1 AND id > ?2
         UNION ALL
         SELECT e.id, e.payload FROM chat_members cm JOIN events e ON e.chat_id = cm.chat_id AND e.id > ?2
         WHERE cm.user_id = ?1
         ORDER BY 1
         LIMIT ?3",
    )
    .bind(user_id)
    .bind(after)
    .bind(REPLAY_MAX + 1)
    .fetch_all(&mut *tx)
    .await?;
    if rows.len() as i64 > REPLAY_MAX {
        return Ok(resync());
    }
    let floor = rows.last().map_or(after, |(seq, _)| *seq);
    let backlog =
        rows.into_iter().map(|(seq, payload)| Frame { seq: Some(seq), text: payload.into() }).collect();
    Ok(Start { newest, backlog, floor })
}

/// Forgets events older than [`KEEP_SECONDS`], remembering the highest number forgotten.
pub async fn prune(conn: &mut SqliteConnection, now: i64) -> Result<(), sqlx::Error> {
    let cutoff = now - KEEP_SECONDS;
    sqlx::query(
        "UPDATE events_pruned
         SET up_to = MAX(up_to, IFNULL((SELECT MAX(id) FROM events WHERE created_at < ?), 0))",
    )
    .bind(cutoff)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM events WHERE id <= (SELECT up_to FROM events_pruned)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

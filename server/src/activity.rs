//! Who used Parta on which day, for the statistics: one `activity_days` row per person per UTC day,
//! written by the first signed-in request of that day. The days already written are remembered in
//! memory, so the requests after it cost no write.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};

use sqlx::SqlitePool;

/// The people this process has recorded as active today.
#[derive(Debug, Default)]
pub struct Activity {
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    /// `YYYY-MM-DD`: a new day starts with nobody seen.
    day: String,
    users: HashSet<i64>,
}

impl Activity {
    /// Records that `user_id` was active on `day` (`YYYY-MM-DD`), unless this process already did.
    pub async fn record(&self, db: &SqlitePool, user_id: i64, day: &str) -> Result<(), sqlx::Error> {
        if !self.first_sighting(user_id, day) {
            return Ok(());
        }
        let written = sqlx::query("INSERT OR IGNORE INTO activity_days (user_id, day) VALUES (?, ?)")
            .bind(user_id)
            .bind(day)
            .execute(db)
            .await;
        if written.is_err() {
            // Not written after all: the next request tries again.
            self.lock().users.remove(&user_id);
        }
        written.map(drop)
    }

    /// Marks the person as seen on `day`; whether they were not yet.
    fn first_sighting(&self, user_id: i64, day: &str) -> bool {
        let mut seen = self.lock();
        if seen.day != day {
            seen.day = day.to_string();
            seen.users.clear();
        }
        seen.users.insert(user_id)
    }

    fn lock(&self) -> MutexGuard<'_, Seen> {
        // Every update leaves the set consistent, so a poisoned lock is still safe to use.
        self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_person_is_new_once_a_day() {
        let activity = Activity::default();
        assert!(activity.first_sighting(1, "2026-12-01"));
        assert!(!activity.first_sighting(1, "2026-12-01"));
        assert!(activity.first_sighting(2, "2026-12-01"));
        assert!(activity.first_sighting(1, "2026-12-02"));
        assert!(!activity.first_sighting(1, "2026-12-02"));
    }
}

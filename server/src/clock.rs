//! The server's notion of "now", and the wire formats of times.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime};

/// Wall-clock time (UTC) that can be moved forward, so that tests cross code lifetimes, cooldowns and
/// rate-limit windows without sleeping. A server never moves it.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Unix seconds: how times are stored.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// Today's date as `YYYY-MM-DD` (UTC).
    pub fn today(&self) -> String {
        iso_date(self.now().date())
    }

    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// An RFC 3339 time from the wire as unix seconds; `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok().map(OffsetDateTime::unix_timestamp)
}

/// A date as `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).expect("a calendar date always formats")
}

/// A stored time (unix seconds) as RFC 3339, e.g. `2026-11-22T17:19:21Z`.
pub fn rfc3339(unix_seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix_seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .expect("a UTC time within the representable range always formats")
}

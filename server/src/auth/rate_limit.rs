//! Sliding-window limits per client address, or per person.
//!
//! Kept in memory rather than in the database: addresses are transient, a restart forgetting them
//! costs nothing, and counting every request this way adds no database write to the hot path. The
//! per-number limits, which must survive restarts, are counted from `login_codes` instead.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    RequestCode,
    SignIn,
    /// A `/join/<key>` that named no invite: guessing keys is what it limits.
    InviteMiss,
    /// A file uploaded (by a person, not an address).
    Upload,
}

/// Who a limit counts: a client address, or a signed-in person wherever they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Client {
    Address(IpAddr),
    Person(i64),
}

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max: u32,
    pub window_seconds: i64,
}

/// The longest window of any limit: events older than this are forgotten.
const MAX_WINDOW_SECONDS: i64 = 600;

#[derive(Default)]
pub struct RateLimiter {
    events: Mutex<HashMap<(Action, Client), VecDeque<i64>>>,
}

impl RateLimiter {
    /// Counts one `action` from `address` at `now`, or refuses it with the seconds until it would be
    /// allowed. Refused attempts are not counted, so a client that waits does get through.
    pub fn hit(&self, action: Action, address: IpAddr, limit: Limit, now: i64) -> Result<(), u32> {
        self.count(action, client_key(address), limit, now)
    }

    /// Counts one `action` of a person, as [`RateLimiter::hit`] does for an address.
    pub fn hit_person(&self, action: Action, user_id: i64, limit: Limit, now: i64) -> Result<(), u32> {
        self.count(action, Client::Person(user_id), limit, now)
    }

    fn count(&self, action: Action, client: Client, limit: Limit, now: i64) -> Result<(), u32> {
        let mut events = self.lock();
        let times = events.entry((action, client)).or_default();
        while times.front().is_some_and(|&t| t <= now - limit.window_seconds) {
            times.pop_front();
        }
        if times.len() >= limit.max as usize {
            let oldest = times.front().copied().unwrap_or(now);
            return Err((oldest + limit.window_seconds - now).clamp(1, u32::MAX as i64) as u32);
        }
        times.push_back(now);
        Ok(())
    }

    /// Refuses like [`RateLimiter::hit`] would, without counting anything: for limits on failures,
    /// checked before the attempt and counted only when it fails.
    pub fn check(&self, action: Action, address: IpAddr, limit: Limit, now: i64) -> Result<(), u32> {
        let events = self.lock();
        let Some(times) = events.get(&(action, client_key(address))) else {
            return Ok(());
        };
        let recent = times.iter().filter(|&&t| t > now - limit.window_seconds);
        if recent.clone().count() < limit.max as usize {
            return Ok(());
        }
        let oldest = recent.min().copied().unwrap_or(now);
        Err((oldest + limit.window_seconds - now).clamp(1, u32::MAX as i64) as u32)
    }

    /// Drops addresses not seen within any window, so the map does not grow without bound.
    pub fn prune(&self, now: i64) {
        self.lock().retain(|_, times| times.back().is_some_and(|&t| t > now - MAX_WINDOW_SECONDS));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Action, Client), VecDeque<i64>>> {
        // Every update leaves the map consistent, so a poisoned lock is still safe to use.
        self.events.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One key per client: an IPv6 host usually owns a whole /64, so it is limited as one.
fn client_key(address: IpAddr) -> Client {
    Client::Address(match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit { max: 2, window_seconds: 600 };

    #[test]
    fn window_slides() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.hit(Action::SignIn, ip, LIMIT, 1000).is_ok());
        assert!(limiter.hit(Action::SignIn, ip, LIMIT, 1100).is_ok());
        assert_eq!(limiter.hit(Action::SignIn, ip, LIMIT, 1200), Err(400));
        assert!(limiter.hit(Action::RequestCode, ip, LIMIT, 1200).is_ok());
        assert!(limiter.hit(Action::SignIn, ip, LIMIT, 1600).is_ok());
    }

    #[test]
    fn check_counts_nothing() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.check(Action::InviteMiss, ip, LIMIT, 1000).is_ok());
        limiter.hit(Action::InviteMiss, ip, LIMIT, 1000).unwrap();
        assert!(limiter.check(Action::InviteMiss, ip, LIMIT, 1100).is_ok());
        limiter.hit(Action::InviteMiss, ip, LIMIT, 1100).unwrap();
        assert_eq!(limiter.check(Action::InviteMiss, ip, LIMIT, 1200), Err(400));
        assert_eq!(limiter.check(Action::InviteMiss, ip, LIMIT, 1200), Err(400));
        assert!(limiter.check(Action::InviteMiss, ip, LIMIT, 1600).is_ok());
    }

    #[test]
    fn an_ipv6_host_is_its_slash_64() {
        let limiter = RateLimiter::default();
        for ip in ["2001:db8::1", "2001:db8::2:3"] {
            assert!(limiter.hit(Action::SignIn, ip.parse().unwrap(), LIMIT, 0).is_ok());
        }
        assert!(limiter.hit(Action::SignIn, "2001:db8::ffff".parse().unwrap(), LIMIT, 0).is_err());
        assert!(limiter.hit(Action::SignIn, "2001:db8:0:1::1".parse().unwrap(), LIMIT, 0).is_ok());
    }

    #[test]
    fn a_person_is_counted_apart_from_any_address() {
        let limiter = RateLimiter::default();
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.hit_person(Action::Upload, 7, LIMIT, 1000).is_ok());
        assert!(limiter.hit_person(Action::Upload, 7, LIMIT, 1100).is_ok());
        assert_eq!(limiter.hit_person(Action::Upload, 7, LIMIT, 1200), Err(400));
        assert!(limiter.hit_person(Action::Upload, 8, LIMIT, 1200).is_ok());
        assert!(limiter.hit(Action::Upload, ip, LIMIT, 1200).is_ok());
    }

    #[test]
    fn prune_forgets_quiet_addresses() {
        let limiter = RateLimiter::default();
        limiter.hit(Action::SignIn, "192.0.2.1".parse().unwrap(), LIMIT, 0).unwrap();
        limiter.prune(MAX_WINDOW_SECONDS + 1);
        assert!(limiter.lock().is_empty());
    }
}

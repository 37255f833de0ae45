//! Live events for people who are online: each open WebSocket subscribes for its person, and request
//! handlers send to people by id after their change is committed.
//!
//! Events without a `seq` say "something changed, reload it"; a person who is offline simply misses
//! them. Events with a `seq` are also kept in the `events` table ([`crate::event_log`]), so a client that
//! reconnects has what it missed replayed. Either way a socket that falls behind is closed (the client
//! reconnects, and replays or reloads) rather than buffering without bound.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use api::ServerEvent;
use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc;

/// Frames waiting for one socket before it counts as fallen behind: enough for a burst of messages to
/// a busy chat (each a frame of a few hundred bytes), while a socket that stopped reading is let go.
const QUEUE: usize = 1024;

type Senders = HashMap<i64, Vec<(u64, mpsc::Sender<Frame>)>>;

/// An event as it goes over the wire, serialised once however many sockets it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The event's sequence number, for events that have one.
    pub seq: Option<i64>,
    /// The event's JSON.
    pub text: Utf8Bytes,
}

impl Frame {
    pub fn new(event: &ServerEvent) -> Frame {
        let text = serde_json::to_string(event).expect("server events always serialise");
        Frame { seq: event.seq(), text: text.into() }
    }
}

#[derive(Default)]
pub struct Hub {
    senders: Mutex<Senders>,
    next_id: AtomicU64,
}

impl Hub {
    /// Starts receiving `user_id`'s events; they stop when the subscription is dropped.
    pub fn subscribe(self: &Arc<Self>, user_id: i64) -> Subscription {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().entry(user_id).or_default().push((id, sender));
        Subscription { hub: Arc::clone(self), user_id, id, receiver }
    }

    /// Sends `event` to every open socket of `user_id`.
    pub fn send(&self, user_id: i64, event: &ServerEvent) {
        self.publish([user_id], &Frame::new(event));
    }

    /// Sends `event` to each of `user_ids` (once per person, even if named twice).
    pub fn send_all(&self, user_ids: impl IntoIterator<Item = i64>, event: &ServerEvent) {
        self.publish(user_ids, &Frame::new(event));
    }

    /// Sends a frame to every open socket of each of `user_ids` (once per person, even if named twice).
    pub fn publish(&self, user_ids: impl IntoIterator<Item = i64>, frame: &Frame) {
        let mut user_ids: Vec<i64> = user_ids.into_iter().collect();
        user_ids.sort_unstable();
        user_ids.dedup();
        let mut senders = self.lock();
        for user_id in user_ids {
            let Some(sockets) = senders.get_mut(&user_id) else {
                continue;
            };
            // A full queue drops its sender: the socket sees its stream end and closes.
            sockets.retain(|(_, sender)| sender.try_send(frame.clone()).is_ok());
            if sockets.is_empty() {
                senders.remove(&user_id);
            }
        }
    }

    /// How many sockets are subscribed, for tests and diagnostics.
    pub fn socket_count(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    fn lock(&self) -> MutexGuard<'_, Senders> {
        // Every update leaves the map consistent, so a poisoned lock is still safe to use.
        self.senders.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One socket's events.
pub struct Subscription {
    hub: Arc<Hub>,
    user_id: i64,
    id: u64,
    receiver: mpsc::Receiver<Frame>,
}

impl Subscription {
    /// The next frame; `None` once the socket fell behind and was dropped by the hub.
    pub async fn recv(&mut self) -> Option<Frame> {
        self.receiver.recv().await
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut senders = self.hub.lock();
        if let Some(sockets) = senders.get_mut(&self.user_id) {
            sockets.retain(|(id, _)| *id != self.id);
            if sockets.is_empty() {
                senders.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_reach_every_socket_of_their_person_only() {
        let hub = Arc::new(Hub::default());
        let mut phone = hub.subscribe(1);
        let mut laptop = hub.subscribe(1);
        let mut other = hub.subscribe(2);
        hub.send_all([1, 1], &ServerEvent::MembershipsChanged);
        let changed = Frame::new(&ServerEvent::MembershipsChanged);
        assert_eq!(phone.recv().await, Some(changed.clone()));
        assert_eq!(laptop.recv().await, Some(changed));
        assert!(laptop.receiver.try_recv().is_err(), "sent once per person");
        assert!(other.receiver.try_recv().is_err());
        drop(phone);
        drop(laptop);
        assert_eq!(hub.socket_count(), 1);
        drop(other);
        assert!(hub.lock().is_empty());
    }

    #[test]
    fn frames_carry_the_sequence_number() {
        assert_eq!(Frame::new(&ServerEvent::Resync { seq: 9 }).seq, Some(9));
        assert_eq!(Frame::new(&ServerEvent::Ping).seq, None);
        assert_eq!(Frame::new(&ServerEvent::Ping).text.as_str(), r#"{"type":"ping"}"#);
    }

    #[tokio::test]
    async fn a_socket_that_falls_behind_is_let_go() {
        let hub = Arc::new(Hub::default());
        let mut slow = hub.subscribe(1);
        for _ in 0..=QUEUE {
            hub.send(1, &ServerEvent::MembershipsChanged);
        }
        assert_eq!(hub.socket_count(), 0);
        for _ in 0..QUEUE {
            assert_eq!(slow.recv().await, Some(Frame::new(&ServerEvent::MembershipsChanged)));
        }
        assert_eq!(slow.recv().await, None);
    }
}

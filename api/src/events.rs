//! Live events over the WebSocket at `/api/v1/events` (capability `events`).
//!
//! The socket is authenticated by the session cookie. Every frame is one JSON object with a `type`.
//!
//! **Sequence numbers.** Events about chats (`message_created`, `message_updated`, `chat_read`) carry a
//! `seq` that increases for each person (not by one: numbers of events about others' chats are
//! skipped). A client remembers the highest `seq` it has seen and reconnects with
//! `/api/v1/events?after=<seq>`: the server first replays every event after it that concerns the
//! person, in order, then goes on live. When the gap is too large (or too old) to replay, it sends
//! `resync` instead, and the client reloads what it shows. Events without `seq` only say "reload X".

use serde::{Deserialize, Serialize};

use crate::Message;

/// What the server sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerEvent {
    /// First frame after the connection is accepted.
    Hello {
        user_id: i64,
        /// Seconds between the server's pings; a client that hears nothing for twice this long
        /// should consider the connection dead and reconnect.
        heartbeat_seconds: u32,
        /// The newest sequence number there is now: a client that connected without `after` starts
        /// counting from it.
        #[serde(default)]
        seq: i64,
    },
    /// Heartbeat; answer with `pong`.
    Ping,
    /// The session ended (signed out elsewhere or expired): stop reconnecting and sign in again.
    SessionEnded,
    /// The person's schools, roles or chats changed (joined, approved, verified): reload `/me` and
    /// the chat list.
    MembershipsChanged,
    /// A join request of this person was decided.
    JoinRequestDecided {
        request_id: i64,
        approved: bool,
        school_id: i64,
        /// Once approved: the chat to open.
        chat_id: Option<i64>,
    },
    /// Something waiting for this person's decision arrived or was decided (by anyone, this person on
    /// another device included): reload the requests of that school and their counts.
    DecisionsChanged { school_id: i64 },
    /// To a school's administrators: people joined, left or moved in the school (a link used, a
    /// request approved, someone removed or moved). Reload what counts them: statistics, the roster,
    /// classes' members, invites' uses.
    RosterChanged { school_id: i64 },
    /// A message was posted in one of the person's chats (their own ones included, from any device).
    MessageCreated { seq: i64, message: Message },
    /// A message changed: edited, deleted, reacted to. Carries the whole message as it is now.
    MessageUpdated { seq: i64, message: Message },
    /// The person read a chat up to `last_read_id` (on this or another device).
    ChatRead { seq: i64, chat_id: i64, last_read_id: i64, unread_count: u32 },
    /// A chat's title, description or posting rule changed, or its members did: reload its header and
    /// the chat list.
    ChatUpdated { seq: i64, chat_id: i64 },
    /// The events after the client's `after` can no longer be replayed: reload chats and timelines.
    Resync { seq: i64 },
    /// Someone is typing in one of the person's chats: show it for a few seconds, until they send or
    /// stop. Not numbered and never replayed.
    Typing { chat_id: i64, user_id: i64, name: String },
    #[serde(other)]
    Unknown,
}

impl ServerEvent {
    /// The event's sequence number, for events that have one.
    pub fn seq(&self) -> Option<i64> {
        match self {
            ServerEvent::MessageCreated { seq, .. }
            | ServerEvent::MessageUpdated { seq, .. }
            | ServerEvent::ChatRead { seq, .. }
            | ServerEvent::ChatUpdated { seq, .. }
            | ServerEvent::Resync { seq } => Some(*seq),
            _ => None,
        }
    }
}

/// What the client sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientEvent {
    Pong,
    /// The person is typing in this chat. Sent at most every few seconds while they type; the
    /// server passes it on to the chat's other members as [`ServerEvent::Typing`].
    Typing {
        chat_id: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged() {
        let hello = ServerEvent::Hello { user_id: 7, heartbeat_seconds: 25, seq: 3 };
        assert_eq!(
            serde_json::to_string(&hello).unwrap(),
            r#"{"type":"hello","user_id":7,"heartbeat_seconds":25,"seq":3}"#
        );
        let future: ServerEvent = serde_json::from_str(r#"{"type":"call_started","chat_id":1}"#).unwrap();
        assert_eq!(future, ServerEvent::Unknown);
        let typing: ClientEvent = serde_json::from_str(r#"{"type":"typing","chat_id":1}"#).unwrap();
        assert_eq!(typing, ClientEvent::Typing { chat_id: 1 });
    }
}

//! Live events over the WebSocket at `/api/v1/events` (capability `events`).
//!
//! The socket is authenticated by the session cookie. Every frame is one JSON object with a `type`.

use serde::{Deserialize, Serialize};

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
    /// Something waiting for this person's decision arrived or was decided by someone else: reload the
    /// requests of that school.
    DecisionsChanged { school_id: i64 },
    #[serde(other)]
    Unknown,
}

/// What the client sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientEvent {
    Pong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged() {
        let hello = ServerEvent::Hello { user_id: 7, heartbeat_seconds: 25 };
        assert_eq!(
            serde_json::to_string(&hello).unwrap(),
            r#"{"type":"hello","user_id":7,"heartbeat_seconds":25}"#
        );
        let future: ServerEvent = serde_json::from_str(r#"{"type":"message_created","id":1}"#).unwrap();
        assert_eq!(future, ServerEvent::Unknown);
    }
}

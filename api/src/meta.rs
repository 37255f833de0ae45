use serde::{Deserialize, Serialize};

/// What a backend says about itself at `GET /api/v1/meta`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Meta {
    /// Contract version the backend implements, e.g. `1.0`; the app refuses a different major.
    pub contract_version: String,
    /// Free-form name of the implementation, for support.
    pub server: String,
    /// Optional parts of the contract this backend offers; the app hides what is missing.
    pub capabilities: Vec<Capability>,
}

impl Meta {
    pub fn has(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }
}

/// An optional part of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Live events over the WebSocket at `/api/v1/events`.
    Events,
    /// Invite links, joining through them, join requests and teacher verification (`/join/…`,
    /// `/schools/{id}/invites`, `/schools/{id}/join-requests`, …).
    Invites,
    /// `GET /api/v1/dev/outbox`: the last one-time code sent to a number (development and tests only).
    DevOutbox,
    /// A capability this version of the app does not know; ignored.
    #[serde(other)]
    Unknown,
}

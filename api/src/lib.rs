//! Parta's contract: every type that crosses the wire between the app and a backend.
//!
//! The app (wasm) and the reference server both depend on this crate, so a change here is a change of
//! the contract: bump [`CONTRACT_VERSION`] when an existing field changes meaning or disappears.
//! Dates and times travel as strings (`YYYY-MM-DD`, RFC 3339) so the wasm build needs no date crate;
//! the browser's `Intl` formats them for people.

mod admin;
mod auth;
mod chats;
pub mod email;
mod error;
mod events;
mod files;
mod invites;
mod meta;
pub mod phone;
pub mod profile;

pub use admin::*;
pub use auth::*;
pub use chats::*;
pub use error::*;
pub use events::*;
pub use files::*;
pub use invites::*;
pub use meta::*;
pub use profile::{Me, ProfileUpdate, Role, SchoolMembership, SchoolSummary, User, YoungStudent};

/// Version of the REST + WebSocket contract this crate describes.
pub const CONTRACT_VERSION: &str = "1.10";

/// Every REST path starts with this prefix.
pub const API_PREFIX: &str = "/api/v1";

/// Header every state-changing request must carry. A page on another origin cannot add a custom
/// header to a cross-origin request without a CORS preflight the server refuses, so its presence
/// (together with the Origin check) defends against CSRF.
pub const CSRF_HEADER: &str = "x-parta-csrf";

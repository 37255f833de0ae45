//! The REST + WebSocket API, one module per feature.

pub mod auth;
pub mod chats;
pub mod dev;
pub mod events;
pub mod me;
pub mod meta;

use axum::Router;
use axum::routing::{get, post, put};

use crate::AppState;
use crate::error::AppError;

/// Every route of `/api/v1` (paths relative to it).
pub fn v1() -> Router<AppState> {
    Router::new()
        .route("/meta", get(meta::meta))
        .route("/openapi.json", get(meta::openapi))
        .route("/auth/code", post(auth::request_code))
        .route("/auth/session", post(auth::sign_in).delete(auth::sign_out))
        .route("/me", get(me::me))
        .route("/me/profile", put(me::update_profile))
        .route("/chats", get(chats::list))
        .route("/chats/{id}", get(chats::chat))
        .route("/chats/{id}/messages", get(chats::messages))
        .route("/events", get(events::events))
        .route("/dev/outbox", get(dev::outbox))
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

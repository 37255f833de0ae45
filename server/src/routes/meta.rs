use std::sync::LazyLock;

use api::{Capability, Meta};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::AppState;

/// What this backend is and which optional parts of the contract it offers.
#[utoipa::path(
    get,
    path = "/api/v1/meta",
    tag = "meta",
    responses((status = 200, description = "This backend", body = Meta)),
)]
pub async fn meta(State(state): State<AppState>) -> Json<Meta> {
    let mut capabilities = vec![Capability::Events, Capability::Invites];
    if state.outbox.is_some() {
        capabilities.push(Capability::DevOutbox);
    }
    Json(Meta {
        contract_version: api::CONTRACT_VERSION.to_string(),
        server: concat!("parta-reference/", env!("CARGO_PKG_VERSION")).to_string(),
        capabilities,
    })
}

static DOCUMENT: LazyLock<String> = LazyLock::new(crate::openapi::json);

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json")),
)]
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}

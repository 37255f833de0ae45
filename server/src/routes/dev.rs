use api::{ApiError, DevCode};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::extract;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// The number, in any form `POST /auth/code` accepts.
    phone: String,
}

/// The last code sent to a number.
///
/// Only when the server was started with `--dev-outbox` (capability `dev_outbox`): development and
/// automated tests only.
#[utoipa::path(
    get,
    path = "/api/v1/dev/outbox",
    tag = "dev",
    params(OutboxQuery),
    responses(
        (status = 200, description = "The last code sent to the number", body = DevCode),
        (status = 400, description = "`bad_request`: no `phone`", body = ApiError),
        (status = 404, description = "`not_found`: the outbox is off, or no code was sent to the number", body = ApiError),
    ),
)]
pub async fn outbox(
    State(state): State<AppState>,
    query: Result<extract::Query<OutboxQuery>, AppError>,
) -> Result<Json<DevCode>, AppError> {
    // Without the flag the endpoint does not exist, whatever the query.
    let outbox = state.outbox.as_ref().ok_or(AppError::NotFound)?;
    let extract::Query(query) = query?;
    let phone = api::phone::normalize(&query.phone).ok_or(AppError::NotFound)?;
    let code = outbox.last_code(&phone).ok_or(AppError::NotFound)?;
    Ok(Json(DevCode { phone, code }))
}

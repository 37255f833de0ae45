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
    phone: Option<String>,
    /// Or the address, in any form `POST /auth/email/code` accepts.
    email: Option<String>,
}

/// The last code sent to a number, or the last code and child confirmation link sent to an address.
///
/// Only when the server was started with `--dev-outbox` (capability `dev_outbox`): development and
/// automated tests only.
#[utoipa::path(
    get,
    path = "/api/v1/dev/outbox",
    tag = "dev",
    params(OutboxQuery),
    responses(
        (status = 200, description = "The last code sent to the number or address", body = DevCode),
        (status = 400, description = "`bad_request`: neither `phone` nor `email`", body = ApiError),
        (status = 404, description = "`not_found`: the outbox is off, or nothing was sent there", body = ApiError),
    ),
)]
pub async fn outbox(
    State(state): State<AppState>,
    query: Result<extract::Query<OutboxQuery>, AppError>,
) -> Result<Json<DevCode>, AppError> {
    // Without the flag the endpoint does not exist, whatever the query.
    let outbox = state.outbox.as_ref().ok_or(AppError::NotFound)?;
    let extract::Query(query) = query?;
    if let Some(email) = query.email {
        let email = api::email::normalize(&email).ok_or(AppError::NotFound)?;
        let mail = outbox.last_mail(&email).ok_or(AppError::NotFound)?;
        return Ok(Json(DevCode {
            phone: String::new(),
            code: mail.code.unwrap_or_default(),
            email: Some(email),
            confirmation_link: mail.confirmation_link,
        }));
    }
    let phone = query.phone.ok_or_else(|| AppError::BadRequest("`phone` or `email` is required".into()))?;
    let phone = api::phone::normalize(&phone).ok_or(AppError::NotFound)?;
    let code = outbox.last_code(&phone).ok_or(AppError::NotFound)?;
    Ok(Json(DevCode { phone, code, email: None, confirmation_link: None }))
}

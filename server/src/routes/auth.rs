use std::net::SocketAddr;

use api::{ApiError, CodeRequest, CodeSent, Me, SignIn};
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

use crate::AppState;
use crate::auth::rate_limit::{Action, Limit};
use crate::auth::{codes, session};
use crate::error::AppError;
use crate::{db, extract};

const TEN_MINUTES: i64 = 600;

/// Sends a one-time code to a phone number.
///
/// The answer is the same whether or not the number belongs to anyone: the account is created at
/// the number's first sign-in. Codes have 6 digits, live 10 minutes and work once; a new code
/// retires the earlier ones.
#[utoipa::path(
    post,
    path = "/api/v1/auth/code",
    tag = "auth",
    request_body = CodeRequest,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "The code is on its way", body = CodeSent),
        (status = 400, description = "`bad_request`: the body is not a code request", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 422, description = "`invalid_phone`", body = ApiError),
        (status = 429, description = "`resend_too_soon` (60 s per number) or `rate_limited` (5 codes per number per hour, or too many requests from this address)",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn request_code(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    extract::Json(request): extract::Json<CodeRequest>,
) -> Result<Json<CodeSent>, AppError> {
    let now = state.clock.unix();
    let limit = Limit { max: state.config.ip_code_limit, window_seconds: TEN_MINUTES };
    state
        .limiter
        .hit(Action::RequestCode, client.ip(), limit, now)
        .map_err(|retry_after_seconds| AppError::RateLimited { retry_after_seconds })?;
    let phone = api::phone::normalize(&request.phone).ok_or(AppError::InvalidPhone)?;

    let issued = codes::issue(&state.db, &phone, now).await?;
    if let Err(error) = state.sender.send(&phone, &issued.code).await {
        codes::withdraw(&state.db, issued.id).await?;
        return Err(error.into());
    }
    if let Some(outbox) = &state.outbox {
        outbox.record(&phone, &issued.code);
    }
    Ok(Json(CodeSent {
        phone,
        code_length: codes::CODE_LENGTH,
        expires_in_seconds: codes::LIFETIME_SECONDS,
        resend_after_seconds: codes::RESEND_AFTER_SECONDS,
    }))
}

/// Exchanges a code for a session cookie.
///
/// Creates the account at the number's first sign-in (with an empty profile).
#[utoipa::path(
    post,
    path = "/api/v1/auth/session",
    tag = "auth",
    request_body = SignIn,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "Signed in", body = Me,
            headers(("Set-Cookie" = String, description = "`parta_session` (`__Host-parta_session` over https): HttpOnly; SameSite=Lax; Path=/; Max-Age=2592000"))),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 422, description = "`invalid_phone`, `code_invalid`, `code_expired` (also when already used) or `too_many_attempts` (the 5th wrong try kills the code)", body = ApiError),
        (status = 429, description = "`rate_limited`: too many sign-in attempts from this address",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    extract::Json(request): extract::Json<SignIn>,
) -> Result<impl IntoResponse, AppError> {
    let now = state.clock.unix();
    let limit = Limit { max: state.config.ip_sign_in_limit, window_seconds: TEN_MINUTES };
    state
        .limiter
        .hit(Action::SignIn, client.ip(), limit, now)
        .map_err(|retry_after_seconds| AppError::RateLimited { retry_after_seconds })?;
    let phone = api::phone::normalize(&request.phone).ok_or(AppError::InvalidPhone)?;

    codes::redeem(&state.db, &phone, &request.code, now).await?;
    let user_id = db::user_for_phone(&state.db, &phone, now).await?;
    let cookie = session::start(&state.db, &state.config, user_id, now).await?;
    let me = super::me::load(&state.db, user_id).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me)))
}

/// Signs out.
///
/// Ends the session on the server and removes the cookie; succeeds without a session too.
#[utoipa::path(
    delete,
    path = "/api/v1/auth/session",
    tag = "auth",
    security(("csrf" = [])),
    responses(
        (status = 204, description = "Signed out",
            headers(("Set-Cookie" = String, description = "The session cookie with Max-Age=0"))),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
    ),
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    let cookie = session::end(&state.db, &state.config, &headers).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]))
}

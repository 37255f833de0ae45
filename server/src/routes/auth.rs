use std::net::SocketAddr;

use api::{
    ApiError, ChooseProfile, CodeRequest, CodeSent, EmailCodeRequest, EmailCodeSent, EmailProfiles,
    EmailSignIn, FieldError, FieldProblem, Me, SessionState, SignIn,
};
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

use crate::AppState;
use crate::auth::rate_limit::{Action, Limit};
use crate::auth::session::Session;
use crate::auth::{codes, session};
use crate::error::AppError;
use crate::{db, extract, young};

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
    limit_client(&state, Action::RequestCode, state.config.ip_code_limit, client, now)?;
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
    limit_client(&state, Action::SignIn, state.config.ip_sign_in_limit, client, now)?;
    let phone = api::phone::normalize(&request.phone).ok_or(AppError::InvalidPhone)?;

    codes::redeem(&state.db, &phone, &request.code, now).await?;
    let user_id = db::user_for_phone(&state.db, &phone, now).await?;
    signed_in(&state, user_id, now).await
}

/// Who is signed in, if anyone: the app asks at every start.
///
/// Unlike `GET /me`, a request without a (live) session is answered `200` with `signed_in: false`:
/// a visitor who has not signed in is not an error.
#[utoipa::path(
    get,
    path = "/api/v1/auth/session",
    tag = "auth",
    security((), ("session" = [])),
    responses(
        (status = 200, description = "Whether the session cookie is a live session, and whose", body = SessionState),
    ),
)]
pub async fn session(
    State(state): State<AppState>,
    session: Option<Session>,
) -> Result<Json<SessionState>, AppError> {
    let me = match session {
        Some(session) => Some(super::me::load(&state.db, session.user_id).await?),
        None => None,
    };
    Ok(Json(SessionState { signed_in: me.is_some(), me }))
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

/// The address of an e-mail request, normalised, or the field error that says what is wrong.
fn email_field(input: &str) -> Result<String, AppError> {
    let problem = if input.trim().is_empty() {
        FieldProblem::Required
    } else if input.trim().len() > api::email::MAX_LENGTH {
        FieldProblem::TooLong
    } else {
        match api::email::normalize(input) {
            Some(email) => return Ok(email),
            None => FieldProblem::InvalidCharacters,
        }
    };
    Err(AppError::Validation(vec![FieldError { field: "email".into(), problem }]))
}

/// Sends a one-time code to a parent's e-mail, for a young student who has no phone.
///
/// The same limits, lifetime and answer as a number's code, counted per address: the answer does not
/// tell whether any child is registered with it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/email/code",
    tag = "auth",
    request_body = EmailCodeRequest,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "The code is on its way", body = EmailCodeSent),
        (status = 400, description = "`bad_request`: the body is not a code request", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 422, description = "`validation`: `email` (`required`, `too_long`, `invalid_characters`)", body = ApiError),
        (status = 429, description = "`resend_too_soon` (60 s per address) or `rate_limited` (5 codes per address per hour, or too many requests from this address)",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn request_email_code(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    extract::Json(request): extract::Json<EmailCodeRequest>,
) -> Result<Json<EmailCodeSent>, AppError> {
    let now = state.clock.unix();
    limit_client(&state, Action::RequestCode, state.config.ip_code_limit, client, now)?;
    let email = email_field(&request.email)?;

    let issued = codes::issue(&state.db, &young::code_key(&email), now).await?;
    if let Err(error) = state.mailer.send_code(&email, &issued.code).await {
        codes::withdraw(&state.db, issued.id).await?;
        return Err(error.into());
    }
    if let Some(outbox) = &state.outbox {
        outbox.record_email_code(&email, &issued.code);
    }
    Ok(Json(EmailCodeSent {
        email,
        code_length: codes::CODE_LENGTH,
        expires_in_seconds: codes::LIFETIME_SECONDS,
        resend_after_seconds: codes::RESEND_AFTER_SECONDS,
    }))
}

/// Exchanges a code sent to a parent's e-mail for the choice of who signs in.
///
/// No session yet: siblings may share the address, so the answer lists the children registered with
/// it (first and last name: whoever has the code reads that mailbox) and a ticket for
/// `POST /auth/email/profile`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/email/session",
    tag = "auth",
    request_body = EmailSignIn,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "The code was right: choose who signs in", body = EmailProfiles),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 422, description = "`validation` (`email`), `code_invalid`, `code_expired` or `too_many_attempts`", body = ApiError),
        (status = 429, description = "`rate_limited`: too many sign-in attempts from this address",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn email_sign_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    extract::Json(request): extract::Json<EmailSignIn>,
) -> Result<Json<EmailProfiles>, AppError> {
    let now = state.clock.unix();
    limit_client(&state, Action::SignIn, state.config.ip_sign_in_limit, client, now)?;
    let email = email_field(&request.email)?;

    codes::redeem(&state.db, &young::code_key(&email), &request.code, now).await?;
    let ticket = young::issue_ticket(&state.db, &email, now).await?;
    let children = young::children(&state.db, &email).await?;
    Ok(Json(EmailProfiles { ticket, children }))
}

/// Signs in as one of the children of a parent's e-mail, or as a new young student.
///
/// A new one fills in the educational profile next; the parent is then asked by e-mail to confirm
/// the child.
#[utoipa::path(
    post,
    path = "/api/v1/auth/email/profile",
    tag = "auth",
    request_body = ChooseProfile,
    security(("csrf" = [])),
    responses(
        (status = 200, description = "Signed in", body = Me,
            headers(("Set-Cookie" = String, description = "The session cookie, as for `POST /auth/session`"))),
        (status = 400, description = "`bad_request`", body = ApiError),
        (status = 403, description = "`csrf_rejected`", body = ApiError),
        (status = 404, description = "`not_found`: no such child of this address", body = ApiError),
        (status = 422, description = "`code_expired`: the ticket is wrong, older than 10 minutes or used", body = ApiError),
    ),
)]
pub async fn choose_profile(
    State(state): State<AppState>,
    extract::Json(request): extract::Json<ChooseProfile>,
) -> Result<impl IntoResponse, AppError> {
    let now = state.clock.unix();
    let email = young::redeem_ticket(&state.db, &request.ticket, now).await?;
    let user_id = young::account(&state.db, &email, request.child_id, now).await?;
    signed_in(&state, user_id, now).await
}

/// Counts one more code request or sign-in attempt from the client's address, refusing it past `max`
/// in ten minutes. Phones and parents' e-mails share the buckets.
fn limit_client(
    state: &AppState,
    action: Action,
    max: u32,
    client: SocketAddr,
    now: i64,
) -> Result<(), AppError> {
    state
        .limiter
        .hit(action, client.ip(), Limit { max, window_seconds: TEN_MINUTES }, now)
        .map_err(|retry_after_seconds| AppError::RateLimited { retry_after_seconds })
}

/// A new session for the person: its cookie, and who they are.
async fn signed_in(state: &AppState, user_id: i64, now: i64) -> Result<impl IntoResponse + use<>, AppError> {
    let cookie = session::start(&state.db, &state.config, user_id, now).await?;
    let me = super::me::load(&state.db, user_id).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me)))
}

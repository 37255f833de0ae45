//! Defence against cross-site request forgery for the cookie-authenticated API.
//!
//! A state-changing request must carry [`api::CSRF_HEADER`]: a page on another origin cannot add a
//! custom header without a CORS preflight, which only `--allow-origin` origins pass. A browser's
//! `Origin` header, when present, must also name this server or an allowed origin.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::config::Config;
use crate::error::AppError;

pub async fn guard(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
        let headers = request.headers();
        if headers.get(api::CSRF_HEADER).is_none_or(|value| value.is_empty()) {
            return Err(AppError::CsrfRejected("the x-parta-csrf header is missing"));
        }
        check_origin(&state.config, headers)?;
    }
    Ok(next.run(request).await)
}

/// Accepts a request with no `Origin` (not sent by a browser, or a same-origin GET) or one from this
/// server's own origin or an allowed origin.
pub fn check_origin(config: &Config, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| AppError::CsrfRejected("unreadable Origin header"))?;
    let own = own_origin(config, headers);
    let allowed =
        own.iter().chain(&config.allowed_origins).any(|allowed| allowed.eq_ignore_ascii_case(origin));
    if allowed { Ok(()) } else { Err(AppError::CsrfRejected("foreign origin")) }
}

/// The origin people open this server at: `--public-url`, or else `http://<Host header>`.
pub fn own_origin(config: &Config, headers: &HeaderMap) -> Option<String> {
    match &config.public_url {
        Some(url) => Some(url.clone()),
        None => {
            headers.get(header::HOST).and_then(|host| host.to_str().ok()).map(|host| format!("http://{host}"))
        }
    }
}

//! Sessions: a random token in an `HttpOnly` cookie, its sha256 in the database.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sqlx::SqlitePool;

use super::sha256;
use crate::AppState;
use crate::config::Config;
use crate::error::AppError;

/// Thirty days, in seconds: how long a session (and its cookie) lives.
pub const LIFETIME_SECONDS: i64 = 30 * 24 * 3600;

/// The session of the request, taken from its cookie. Rejects with `unauthenticated` when there is
/// none, or it was ended or expired.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: i64,
    token_hash: [u8; 32],
}

impl Session {
    /// Whether the session is still valid (it may have been ended since the request began).
    pub async fn is_alive(&self, db: &SqlitePool, now: i64) -> Result<bool, sqlx::Error> {
        Ok(lookup(db, &self.token_hash, now).await?.is_some())
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token =
            cookie(&parts.headers, state.config.session_cookie_name()).ok_or(AppError::Unauthenticated)?;
        let token_hash = sha256(&[token.as_bytes()]);
        let user_id =
            lookup(&state.db, &token_hash, state.clock.unix()).await?.ok_or(AppError::Unauthenticated)?;
        // Statistics are no reason to fail a request: a day not written is tried again next time.
        if let Err(error) = state.activity.record(&state.db, user_id, &state.clock.today()).await {
            tracing::warn!(%error, "recording the day's activity failed");
        }
        Ok(Session { user_id, token_hash })
    }
}

/// For endpoints open to everyone that say more to a signed-in person: `None` without a valid session.
impl OptionalFromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, AppError> {
        match <Session as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(session) => Ok(Some(session)),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

async fn lookup(db: &SqlitePool, token_hash: &[u8; 32], now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?")
        .bind(&token_hash[..])
        .bind(now)
        .fetch_optional(db)
        .await
}

/// Starts a session for `user_id` and returns the `Set-Cookie` value that carries it.
pub async fn start(
    db: &SqlitePool,
    config: &Config,
    user_id: i64,
    now: i64,
) -> Result<HeaderValue, AppError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(&sha256(&[token.as_bytes()])[..])
        .bind(user_id)
        .bind(now)
        .bind(now + LIFETIME_SECONDS)
        .execute(db)
        .await?;
    Ok(set_cookie(config, &token, LIFETIME_SECONDS))
}

/// Ends the session named by the request's cookie, if any, and returns the `Set-Cookie` value that
/// removes the cookie from the browser.
pub async fn end(db: &SqlitePool, config: &Config, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = cookie(headers, config.session_cookie_name()) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(&sha256(&[token.as_bytes()])[..])
            .execute(db)
            .await?;
    }
    Ok(set_cookie(config, "", 0))
}

fn set_cookie(config: &Config, token: &str, max_age: i64) -> HeaderValue {
    let name = config.session_cookie_name();
    let secure = if config.is_https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}"
    ))
    .expect("a base64url token is a valid header value")
}

/// The value of cookie `name`, from any `Cookie` header of the request.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("theme=dark; parta_session=abc"));
        headers.append(header::COOKIE, HeaderValue::from_static("other=1"));
        assert_eq!(cookie(&headers, "parta_session"), Some("abc"));
        assert_eq!(cookie(&headers, "__Host-parta_session"), None);
    }
}

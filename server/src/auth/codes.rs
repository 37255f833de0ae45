//! One-time sign-in codes: issued per phone number, stored only as a hash, single use.

use rand::Rng;
use rand::rngs::OsRng;
use sqlx::SqlitePool;

use super::sha256;
use crate::error::AppError;

pub const CODE_LENGTH: u8 = 6;
pub const LIFETIME_SECONDS: u32 = 600;
pub const RESEND_AFTER_SECONDS: u32 = 60;
pub const CODES_PER_HOUR: i64 = 5;
/// Wrong tries a code survives; the last of them kills it.
pub const MAX_ATTEMPTS: i64 = 5;

const HOUR: i64 = 3600;

/// A freshly issued code, not yet delivered.
pub struct Issued {
    pub id: i64,
    pub code: String,
}

/// Issues a new code for `phone` (normalised) unless the number is cooling down or over its hourly
/// limit. Only the newest code of a number is ever checked, so a new one retires the earlier ones.
pub async fn issue(db: &SqlitePool, phone: &str, now: i64) -> Result<Issued, AppError> {
    let (in_last_hour, oldest, newest): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM login_codes
         WHERE phone = ? AND created_at > ?",
    )
    .bind(phone)
    .bind(now - HOUR)
    .fetch_one(db)
    .await?;
    if in_last_hour >= CODES_PER_HOUR {
        let retry_after = oldest.map_or(HOUR, |oldest| oldest + HOUR - now);
        return Err(AppError::RateLimited { retry_after_seconds: seconds(retry_after) });
    }
    if let Some(newest) = newest.filter(|&t| t > now - i64::from(RESEND_AFTER_SECONDS)) {
        let retry_after = newest + i64::from(RESEND_AFTER_SECONDS) - now;
        return Err(AppError::ResendTooSoon { retry_after_seconds: seconds(retry_after) });
    }

    let code = generate();
    // The checks above are repeated inside the insert so that two simultaneous requests cannot
    // both pass them.
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO login_codes (phone, code_hash, created_at, expires_at)
         SELECT ?1, ?2, ?3, ?4
         WHERE NOT EXISTS (SELECT 1 FROM login_codes WHERE phone = ?1 AND created_at > ?3 - ?5)
           AND (SELECT COUNT(*) FROM login_codes WHERE phone = ?1 AND created_at > ?3 - ?6) < ?7
         RETURNING id",
    )
    .bind(phone)
    .bind(&hash(phone, &code)[..])
    .bind(now)
    .bind(now + i64::from(LIFETIME_SECONDS))
    .bind(i64::from(RESEND_AFTER_SECONDS))
    .bind(HOUR)
    .bind(CODES_PER_HOUR)
    .fetch_optional(db)
    .await?;
    match id {
        Some(id) => Ok(Issued { id, code }),
        None => Err(AppError::ResendTooSoon { retry_after_seconds: RESEND_AFTER_SECONDS }),
    }
}

/// Takes back a code that could not be delivered, so it neither counts nor blocks a retry.
pub async fn withdraw(db: &SqlitePool, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_codes WHERE id = ?").bind(id).execute(db).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id: i64,
    code_hash: Vec<u8>,
    expires_at: i64,
    attempts: i64,
    consumed_at: Option<i64>,
}

/// Checks `code` against the newest code of `phone` and consumes it.
pub async fn redeem(db: &SqlitePool, phone: &str, code: &str, now: i64) -> Result<(), AppError> {
    let row: Option<CodeRow> = sqlx::query_as(
        "SELECT id, code_hash, expires_at, attempts, consumed_at FROM login_codes
         WHERE phone = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Err(AppError::CodeInvalid);
    };
    if row.attempts >= MAX_ATTEMPTS {
        return Err(AppError::TooManyAttempts);
    }

    let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if !constant_time_eq(&hash(phone, &typed), &row.code_hash) {
        let attempts: i64 = sqlx::query_scalar(
            "UPDATE login_codes SET attempts = attempts + 1 WHERE id = ? RETURNING attempts",
        )
        .bind(row.id)
        .fetch_one(db)
        .await?;
        return Err(if attempts >= MAX_ATTEMPTS { AppError::TooManyAttempts } else { AppError::CodeInvalid });
    }
    if row.consumed_at.is_some() || now >= row.expires_at {
        return Err(AppError::CodeExpired);
    }

    // Conditional, so that of two simultaneous sign-ins with the same code only one succeeds.
    let consumed = sqlx::query(
        "UPDATE login_codes SET consumed_at = ?1
         WHERE id = ?2 AND consumed_at IS NULL AND attempts < ?3",
    )
    .bind(now)
    .bind(row.id)
    .bind(MAX_ATTEMPTS)
    .execute(db)
    .await?;
    if consumed.rows_affected() == 1 { Ok(()) } else { Err(AppError::CodeExpired) }
}

/// Six uniformly random digits; leading zeros are part of the code.
fn generate() -> String {
    format!("{:0width$}", OsRng.gen_range(0..10u32.pow(CODE_LENGTH.into())), width = CODE_LENGTH.into())
}

fn hash(phone: &str, code: &str) -> [u8; 32] {
    sha256(&[phone.as_bytes(), b":", code.as_bytes()])
}

/// Compares without an early exit, so timing tells nothing about how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn seconds(value: i64) -> u32 {
    value.clamp(1, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..1000 {
            let code = generate();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}

//! Young students: primary-school children who sign in with a code sent to a parent's e-mail
//! («При регистрации обучающихся начальных классов возможно использовать электронную почту родителей
//! для получения кода и подтверждения регистрации»). Such an account joins as a student only, and
//! may read but not write until the parent confirms the child by a link sent to the same address.

use api::{ChildProfile, YoungStudent};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sqlx::{SqliteExecutor, SqlitePool};

use crate::auth::sha256;
use crate::error::AppError;

/// `login_codes` keys an address's codes by this prefix, apart from every number's.
pub fn code_key(email: &str) -> String {
    format!("mailto:{email}")
}

/// A ticket (the right code proved) lets its holder choose who signs in for this long.
pub const TICKET_LIFETIME_SECONDS: i64 = 600;
/// A confirmation link works this long: a parent may read their mail only at the weekend.
pub const CONFIRMATION_LIFETIME_SECONDS: i64 = 14 * 24 * 3600;
/// A young student may ask for the link again this long after the last one.
pub const RESEND_AFTER_SECONDS: i64 = 60;
/// At most this many links a day, so that a child cannot flood a mailbox.
pub const LINKS_PER_DAY: i64 = 5;
const DAY: i64 = 24 * 3600;

/// 192 random bits, base64url: a ticket or a confirmation link's token.
fn token() -> String {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> Vec<u8> {
    sha256(&[token.as_bytes()]).to_vec()
}

/// Refuses a young student whom no parent confirmed yet: every endpoint that writes something others
/// read (messages, polls and votes, new chats, files) asks this first.
pub async fn require_confirmed<'e>(db: impl SqliteExecutor<'e>, user_id: i64) -> Result<(), AppError> {
    let limited: bool = sqlx::query_scalar(
        "SELECT parent_email IS NOT NULL AND child_confirmed_at IS NULL FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_one(db)
    .await?;
    if limited { Err(AppError::ChildNotConfirmed) } else { Ok(()) }
}

/// Whether the account was registered by a parent's e-mail (and so may join as a student only).
pub async fn is_young_student<'e>(db: impl SqliteExecutor<'e>, user_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT parent_email IS NOT NULL FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// What [`api::User::young_student`] says of an account.
pub async fn standing<'e>(
    db: impl SqliteExecutor<'e>,
    user_id: i64,
) -> Result<Option<YoungStudent>, sqlx::Error> {
    let row: Option<(Option<String>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT parent_email, child_confirmed_at,
                (SELECT decision FROM child_confirmations WHERE user_id = users.id AND decided_at IS NOT NULL
                 ORDER BY decided_at DESC, id DESC LIMIT 1)
         FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(email, confirmed_at, last_decision)| {
        email.map(|email| YoungStudent {
            parent_email_masked: api::email::mask(&email),
            confirmed: confirmed_at.is_some(),
            declined: confirmed_at.is_none() && last_decision.as_deref() == Some("declined"),
        })
    }))
}

/// The children registered with `email` whose profile is filled in, oldest first.
pub async fn children(db: &SqlitePool, email: &str) -> Result<Vec<ChildProfile>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, first_name, last_name FROM users
         WHERE parent_email = ? AND first_name IS NOT NULL AND last_name IS NOT NULL AND birth_date IS NOT NULL
         ORDER BY id",
    )
    .bind(email)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, first_name, last_name)| ChildProfile { id, first_name, last_name })
        .collect())
}

/// Issues the ticket a right code buys.
pub async fn issue_ticket(db: &SqlitePool, email: &str, now: i64) -> Result<String, sqlx::Error> {
    let ticket = token();
    sqlx::query("INSERT INTO email_tickets (token_hash, email, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash(&ticket))
        .bind(email)
        .bind(now + TICKET_LIFETIME_SECONDS)
        .execute(db)
        .await?;
    Ok(ticket)
}

/// Takes a ticket (once) and returns its address; a wrong, old or used ticket is an expired code.
pub async fn redeem_ticket(db: &SqlitePool, ticket: &str, now: i64) -> Result<String, AppError> {
    let email: Option<String> = sqlx::query_scalar(
        "UPDATE email_tickets SET used_at = ?1
         WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         RETURNING email",
    )
    .bind(now)
    .bind(token_hash(ticket))
    .fetch_optional(db)
    .await?;
    email.ok_or(AppError::CodeExpired)
}

/// The account to sign in with a redeemed ticket: the chosen child of that address, or a new young
/// student. A profile left unfinished by an earlier «Новый профиль» is taken up again rather than
/// leaving a nameless account behind each time.
pub async fn account(db: &SqlitePool, email: &str, child_id: Option<i64>, now: i64) -> Result<i64, AppError> {
    if let Some(child_id) = child_id {
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = ? AND parent_email = ?")
            .bind(child_id)
            .bind(email)
            .fetch_optional(db)
            .await?;
        // Someone else's child is no different from no child: nothing to learn by guessing ids.
        return found.ok_or(AppError::NotFound);
    }
    let unfinished: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE parent_email = ? AND (first_name IS NULL OR last_name IS NULL OR birth_date IS NULL)
         ORDER BY id LIMIT 1",
    )
    .bind(email)
    .fetch_optional(db)
    .await?;
    if let Some(id) = unfinished {
        return Ok(id);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO users (phone, parent_email, created_at) VALUES ('email:' || lower(hex(randomblob(16))), ?, ?)
         RETURNING id",
    )
    .bind(email)
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// A confirmation link to send: where it goes, whom it is about, and its token.
pub struct Link {
    pub email: String,
    pub child: String,
    pub token: String,
}

/// Makes a new confirmation link for the young student `user_id`, unless they are confirmed already
/// (`AlreadyDecided`) or asked too recently or too often.
pub async fn new_link(db: &SqlitePool, user_id: i64, now: i64) -> Result<Link, AppError> {
    #[derive(sqlx::FromRow)]
    struct Child {
        parent_email: String,
        child_confirmed_at: Option<i64>,
        first_name: Option<String>,
        last_name: Option<String>,
    }
    let child: Option<Child> = sqlx::query_as(
        "SELECT parent_email, child_confirmed_at, first_name, last_name FROM users
         WHERE id = ? AND parent_email IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    let Some(Child { parent_email: email, child_confirmed_at, first_name, last_name }) = child else {
        return Err(AppError::Forbidden);
    };
    if child_confirmed_at.is_some() {
        return Err(AppError::AlreadyDecided);
    }
    let (today, newest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(created_at) FROM child_confirmations WHERE user_id = ? AND created_at > ?",
    )
    .bind(user_id)
    .bind(now - DAY)
    .fetch_one(db)
    .await?;
    if let Some(newest) = newest.filter(|&t| t > now - RESEND_AFTER_SECONDS) {
        return Err(AppError::ResendTooSoon {
            retry_after_seconds: (newest + RESEND_AFTER_SECONDS - now).max(1) as u32,
        });
    }
    if today >= LINKS_PER_DAY {
        return Err(AppError::RateLimited { retry_after_seconds: 3600 });
    }
    let token = token();
    sqlx::query(
        "INSERT INTO child_confirmations (user_id, token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(token_hash(&token))
    .bind(&email)
    .bind(now)
    .bind(now + CONFIRMATION_LIFETIME_SECONDS)
    .execute(db)
    .await?;
    let child = [first_name, last_name].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Ok(Link { email, child, token })
}

/// Whether a young student ever had a link sent: the first goes out once the profile is filled in.
pub async fn link_sent(db: &SqlitePool, user_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM child_confirmations WHERE user_id = ?)")
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// The link a token names, if it can still be used: its id and the child's id. Unknown: `NotFound`;
/// past its time, already used, or the child confirmed meanwhile by another link:
/// `ConfirmationExpired`.
pub async fn open_link(db: &SqlitePool, token: &str, now: i64) -> Result<(i64, i64), AppError> {
    #[derive(sqlx::FromRow)]
    struct LinkRow {
        id: i64,
        user_id: i64,
        expires_at: i64,
        decided_at: Option<i64>,
        child_confirmed_at: Option<i64>,
    }
    let link: Option<LinkRow> = sqlx::query_as(
        "SELECT c.id, c.user_id, c.expires_at, c.decided_at, u.child_confirmed_at
         FROM child_confirmations c JOIN users u ON u.id = c.user_id
         WHERE c.token_hash = ?",
    )
    .bind(token_hash(token))
    .fetch_optional(db)
    .await?;
    let link = link.ok_or(AppError::NotFound)?;
    if now >= link.expires_at || link.decided_at.is_some() || link.child_confirmed_at.is_some() {
        return Err(AppError::ConfirmationExpired);
    }
    Ok((link.id, link.user_id))
}

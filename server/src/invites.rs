//! Invite links: their keys, lifetimes and state, as stored.
//!
//! A key is a random token (in the link and its QR code) or a short code (typed from a printed sheet).
//! Only their sha256 is stored, so the database cannot hand out working links; the plain keys exist
//! once, in the answer to the request that created them.

use api::{Author, FieldProblem, Invite, InviteExpiry, InviteKey, InviteState, InviteTarget, Role};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sqlx::{SqliteConnection, SqliteExecutor};
use time::macros::{format_description, offset, time};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::auth::sha256;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::membership::Grant;
use crate::people::display_name;

/// Schools keep Moscow time: an invite "until 31 May" works until the end of that day there.
pub const MOSCOW: UtcOffset = offset!(+3);
/// Random bytes of a token: 192 bits, 32 base64url characters.
const TOKEN_BYTES: usize = 24;
/// How often a new invite is retried when its random keys collide with an existing one's. A token
/// never will; a short code might, once the school has issued very many.
const KEY_ATTEMPTS: usize = 5;

/// The plain keys of a new invite.
pub struct Keys {
    pub token: String,
    /// Normalised: upper case, no dash.
    pub code: String,
}

impl Keys {
    pub fn generate() -> Keys {
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng.fill_bytes(&mut bytes);
        let alphabet = api::INVITE_CODE_ALPHABET;
        // gen_range is uniform (no modulo bias), so every code is equally likely.
        let code = (0..api::INVITE_CODE_LEN)
            .map(|_| char::from(alphabet[OsRng.gen_range(0..alphabet.len())]))
            .collect();
        Keys { token: URL_SAFE_NO_PAD.encode(bytes), code }
    }
}

/// What is stored of a key: sha256 of the token, or of the normalised code.
pub fn key_hash(key: &InviteKey) -> [u8; 32] {
    sha256(&[key.as_str().as_bytes()])
}

/// When an invite created `now` (unix seconds) stops working, `None` for never; a date must be
/// `YYYY-MM-DD` and not before today in Moscow.
pub fn expires_at(expiry: &InviteExpiry, now: i64) -> Result<Option<i64>, FieldProblem> {
    let now = OffsetDateTime::from_unix_timestamp(now).map_err(|_| FieldProblem::OutOfRange)?;
    let today = now.to_offset(MOSCOW).date();
    let last_day = match expiry {
        InviteExpiry::Never => return Ok(None),
        // The school year's halves end on 31 December and 31 May; a link made in the summer
        // holidays is for the autumn.
        InviteExpiry::EndOfTerm => {
            let month = if today.month() <= Month::May { Month::May } else { Month::December };
            Date::from_calendar_date(today.year(), month, 31).expect("31 May and 31 December exist")
        }
        InviteExpiry::On { date } => {
            let date = Date::parse(date.trim(), format_description!("[year]-[month]-[day]"))
                .map_err(|_| FieldProblem::InvalidDate)?;
            if date < today {
                return Err(FieldProblem::OutOfRange);
            }
            date
        }
    };
    Ok(Some(PrimitiveDateTime::new(last_day, time!(23:59:59)).assume_offset(MOSCOW).unix_timestamp()))
}

/// An invite to store.
pub struct NewInvite<'a> {
    pub school_id: i64,
    pub target: InviteTarget,
    pub role: Role,
    pub label: Option<&'a str>,
    pub child_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub max_uses: Option<u32>,
    pub requires_approval: bool,
}

/// Stores an invite with fresh keys; returns its id and the keys, which are never seen again.
pub async fn insert(conn: &mut SqliteConnection, new: &NewInvite<'_>) -> Result<(i64, Keys), sqlx::Error> {
    let (target_kind, class_id, chat_id) = match new.target {
        InviteTarget::School => ("school", None, None),
        InviteTarget::Class { class_id } => ("class", Some(class_id), None),
        InviteTarget::Chat { chat_id } => ("chat", None, Some(chat_id)),
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let keys = Keys::generate();
        // A chat's invite also records the chat's class, so that the class's teachers find it.
        let inserted = sqlx::query_scalar(
            "INSERT INTO invites (school_id, target_kind, class_id, chat_id, role, label, child_id, created_by,
                                  created_at, expires_at, max_uses, requires_approval, token_hash, code_hash)
             VALUES (?1, ?2, COALESCE(?3, (SELECT class_id FROM chats WHERE id = ?4)), ?4, ?5, ?6, ?7, ?8,
                     ?9, ?10, ?11, ?12, ?13, ?14)
             RETURNING id",
        )
        .bind(new.school_id)
        .bind(target_kind)
        .bind(class_id)
        .bind(chat_id)
        .bind(new.role.as_str())
        .bind(new.label)
        .bind(new.child_id)
        .bind(new.created_by)
        .bind(new.created_at)
        .bind(new.expires_at)
        .bind(new.max_uses)
        .bind(new.requires_approval)
        .bind(&key_hash(&InviteKey::Token(keys.token.clone()))[..])
        .bind(&key_hash(&InviteKey::Code(keys.code.clone()))[..])
        .fetch_one(&mut *conn)
        .await;
        match inserted {
            Ok(id) => return Ok((id, keys)),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() && attempt < KEY_ATTEMPTS => {}
            Err(error) => return Err(error),
        }
    }
}

/// An invite with what its views need: names of its school, target, creator and child; how many
/// requests through it wait.
#[derive(sqlx::FromRow)]
pub struct InviteRow {
    pub id: i64,
    pub school_id: i64,
    pub school_name: String,
    target_kind: String,
    /// The target class, or the class of the target chat.
    pub class_id: Option<i64>,
    pub chat_id: Option<i64>,
    pub target_name: String,
    role: String,
    pub label: Option<String>,
    pub child_id: Option<i64>,
    child_first_name: Option<String>,
    child_last_name: Option<String>,
    child_verified: bool,
    pub created_by: i64,
    creator_first_name: Option<String>,
    creator_last_name: Option<String>,
    pub creator_verified: bool,
    created_at: i64,
    expires_at: Option<i64>,
    max_uses: Option<i64>,
    uses: i64,
    pub requires_approval: bool,
    revoked_at: Option<i64>,
    pending_requests: i64,
}

const SELECT: &str = "
    SELECT i.id, i.school_id, s.name AS school_name, i.target_kind, i.class_id, i.chat_id,
           t.name AS target_name, i.role, i.label,
           i.child_id, ch.first_name AS child_first_name, ch.last_name AS child_last_name,
           EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = i.school_id AND v.user_id = i.child_id)
               AS child_verified,
           i.created_by, cu.first_name AS creator_first_name, cu.last_name AS creator_last_name,
           EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = i.school_id AND v.user_id = i.created_by)
               AS creator_verified,
           i.created_at, i.expires_at, i.max_uses, i.uses, i.requires_approval, i.revoked_at,
           (SELECT COUNT(*) FROM join_requests r WHERE r.invite_id = i.id AND r.status = 'pending')
               AS pending_requests
    FROM invites i
    JOIN schools s ON s.id = i.school_id
    JOIN invite_target_names t ON t.invite_id = i.id
    JOIN users cu ON cu.id = i.created_by
    LEFT JOIN users ch ON ch.id = i.child_id";

pub async fn by_id<'e>(db: impl SqliteExecutor<'e>, id: i64) -> Result<Option<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE i.id = ?")).bind(id).fetch_optional(db).await
}

pub async fn by_key<'e>(
    db: impl SqliteExecutor<'e>,
    key: &InviteKey,
) -> Result<Option<InviteRow>, sqlx::Error> {
    let column = match key {
        InviteKey::Token(_) => "token_hash",
        InviteKey::Code(_) => "code_hash",
    };
    sqlx::query_as(&format!("{SELECT} WHERE i.{column} = ?"))
        .bind(&key_hash(key)[..])
        .fetch_optional(db)
        .await
}

/// Every invite of a school, newest first.
pub async fn of_school<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
) -> Result<Vec<InviteRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE i.school_id = ? ORDER BY i.created_at DESC, i.id DESC"))
        .bind(school_id)
        .fetch_all(db)
        .await
}

impl InviteRow {
    pub fn target(&self) -> InviteTarget {
        target(&self.target_kind, self.class_id, self.chat_id)
    }

    pub fn role(&self) -> Role {
        Role::parse(&self.role).expect("the role column is checked by the schema")
    }

    pub fn uses(&self) -> i64 {
        self.uses
    }

    /// Where the invite stands `now`. When several reasons stop it, the one a person can do least
    /// about wins: revoked (on purpose, for good), then used up, then expired.
    pub fn state(&self, now: i64) -> InviteState {
        if self.revoked_at.is_some() {
            InviteState::Revoked
        } else if self.max_uses.is_some_and(|max| self.uses >= max) {
            InviteState::UsedUp
        } else if self.expires_at.is_some_and(|at| at <= now) {
            InviteState::Expired
        } else {
            InviteState::Active
        }
    }

    /// The invite's `410` when it no longer works.
    pub fn check_active(&self, now: i64) -> Result<(), AppError> {
        match self.state(now) {
            InviteState::Active => Ok(()),
            InviteState::Revoked => Err(AppError::InviteRevoked),
            InviteState::UsedUp => Err(AppError::InviteUsedUp),
            InviteState::Expired | InviteState::Unknown => Err(AppError::InviteExpired),
        }
    }

    /// A class's parents' link not bound to a child asks the parent whose parent they are, so that
    /// whoever approves can tell.
    pub fn asks_child_name(&self) -> bool {
        self.role() == Role::Parent && self.child_id.is_none() && self.requires_approval
    }

    pub fn creator_name(&self) -> String {
        display_name(self.creator_first_name.as_deref(), self.creator_last_name.as_deref())
    }

    pub fn child_name(&self) -> Option<String> {
        self.child_id.map(|_| display_name(self.child_first_name.as_deref(), self.child_last_name.as_deref()))
    }

    /// What joining through it grants.
    pub fn grant(&self) -> Grant {
        Grant {
            school_id: self.school_id,
            target: self.target(),
            role: self.role(),
            child_id: self.child_id,
            invite_id: Some(self.id),
        }
    }

    pub fn to_api(&self, now: i64) -> Invite {
        Invite {
            id: self.id,
            school_id: self.school_id,
            target: self.target(),
            target_name: self.target_name.clone(),
            role: self.role(),
            label: self.label.clone(),
            child: self.child_id.map(|id| Author {
                id,
                name: self.child_name().unwrap_or_default(),
                teacher_verified: self.child_verified,
            }),
            created_by: Author {
                id: self.created_by,
                name: self.creator_name(),
                teacher_verified: self.creator_verified,
            },
            created_at: rfc3339(self.created_at),
            expires_at: self.expires_at.map(rfc3339),
            max_uses: self.max_uses.map(count),
            uses: count(self.uses),
            pending_requests: count(self.pending_requests),
            requires_approval: self.requires_approval,
            state: self.state(now),
        }
    }
}

/// The target stored as `target_kind` with its class and chat.
pub fn target(kind: &str, class_id: Option<i64>, chat_id: Option<i64>) -> InviteTarget {
    match (kind, class_id, chat_id) {
        ("chat", _, Some(chat_id)) => InviteTarget::Chat { chat_id },
        ("class", Some(class_id), _) => InviteTarget::Class { class_id },
        _ => InviteTarget::School,
    }
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(if value < 0 { 0 } else { u32::MAX })
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn keys_are_long_random_tokens_and_codes_of_the_alphabet() {
        let keys = Keys::generate();
        assert_eq!(keys.token.len(), api::INVITE_TOKEN_LEN);
        assert_eq!(InviteKey::parse(&keys.token), Some(InviteKey::Token(keys.token.clone())));
        assert_eq!(
            InviteKey::parse(&api::display_code(&keys.code)),
            Some(InviteKey::Code(keys.code.clone()))
        );
        assert_ne!(Keys::generate().token, keys.token);
    }

    #[test]
    fn terms_end_on_31_december_or_31_may_moscow_time() {
        let end = |at: OffsetDateTime| {
            rfc3339(expires_at(&InviteExpiry::EndOfTerm, at.unix_timestamp()).unwrap().unwrap())
        };
        assert_eq!(end(datetime!(2026-11-22 12:00 UTC)), "2026-12-31T20:59:59Z");
        assert_eq!(end(datetime!(2027-01-10 12:00 UTC)), "2027-05-31T20:59:59Z");
        assert_eq!(end(datetime!(2027-07-01 12:00 UTC)), "2027-12-31T20:59:59Z", "summer: for the autumn");
        // 31 May 22:00 UTC is already 1 June in Moscow.
        assert_eq!(end(datetime!(2027-05-31 22:00 UTC)), "2027-12-31T20:59:59Z");
    }

    #[test]
    fn a_date_is_the_end_of_that_day_and_not_in_the_past() {
        let now = datetime!(2026-11-22 22:30 UTC).unix_timestamp(); // 23 November in Moscow
        let on = |date: &str| expires_at(&InviteExpiry::On { date: date.into() }, now);
        assert_eq!(on("2026-11-23").map(|at| at.map(rfc3339)), Ok(Some("2026-11-23T20:59:59Z".into())));
        assert_eq!(on("2026-11-22"), Err(FieldProblem::OutOfRange));
        assert_eq!(on("2026-02-30"), Err(FieldProblem::InvalidDate));
        assert_eq!(on("23.11.2026"), Err(FieldProblem::InvalidDate));
        assert_eq!(expires_at(&InviteExpiry::Never, now), Ok(None));
    }

    #[test]
    fn targets_round_trip() {
        assert_eq!(target("school", None, None), InviteTarget::School);
        assert_eq!(target("class", Some(3), None), InviteTarget::Class { class_id: 3 });
        assert_eq!(target("chat", Some(3), Some(9)), InviteTarget::Chat { chat_id: 9 });
    }
}

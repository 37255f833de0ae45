//! Invite links («ссылки-приглашения»), joining through them, join requests («заявки») and the
//! verification of teachers.
//!
//! An invite grants one [`Role`] in one [`InviteTarget`]. It travels as `<app origin>/join/<token>`
//! (also drawn as a QR code) or as a short typable code printed on the invite sheet; either of the two
//! is a *key* the join endpoints accept. The server keeps only hashes of both, so it can show a link
//! once, when it is created, and never again.

use serde::{Deserialize, Serialize};

use crate::{Author, Role};

/// Characters of a random invite token: 32 base64url characters, 192 random bits.
pub const INVITE_TOKEN_LEN: usize = 32;
/// Characters of a short code, without the dash shown in its middle (`K7QM-4XPD`).
pub const INVITE_CODE_LEN: usize = 8;
/// The alphabet of short codes: no 0/O, 1/I/L, so that a printed code is typed without doubt. Eight of
/// its 31 characters give 8.5·10¹¹ codes; the server limits guesses per address.
pub const INVITE_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// The longest label of an invite.
pub const INVITE_LABEL_MAX_CHARS: usize = 100;
/// The most uses an invite may be limited to.
pub const INVITE_MAX_USES: u32 = 1000;
/// The longest child's name a parent joining through a class's link may give.
pub const CHILD_NAME_MAX_CHARS: usize = 100;

/// A key as found in `/join/<key>`: a long token, or a short code typed from a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteKey {
    Token(String),
    /// Normalised: upper case, no dash.
    Code(String),
}

impl InviteKey {
    /// Reads a key people may have typed, pasted or scanned; `None` when it cannot be one (malformed).
    /// Codes are accepted in any case, with spaces or one dash between the halves.
    pub fn parse(input: &str) -> Option<InviteKey> {
        let input = input.trim();
        if input.len() == INVITE_TOKEN_LEN
            && input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some(InviteKey::Token(input.to_string()));
        }
        let code: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() == INVITE_CODE_LEN && code.bytes().all(|b| INVITE_CODE_ALPHABET.contains(&b)))
            .then_some(InviteKey::Code(code))
    }

    /// The key as it goes into `/join/<key>`.
    pub fn as_str(&self) -> &str {
        match self {
            InviteKey::Token(token) => token,
            InviteKey::Code(code) => code,
        }
    }
}

/// A short code as printed for people: `K7QM-4XPD`.
pub fn display_code(code: &str) -> String {
    if code.len() == INVITE_CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

/// Where an invite leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InviteTarget {
    /// The school's staff: «Учительская», its chat and the «Сотрудники» channel (teachers only).
    School,
    /// A class: students join its class chats, parents its parents' chat, teachers all of them.
    Class { class_id: i64 },
    /// One chat (and, through it, the school).
    Chat { chat_id: i64 },
}

/// `GET /api/v1/schools/{school_id}/invite-targets`: one place the person may invite people to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InviteTargetOption {
    pub target: InviteTarget,
    /// «Учительская», «5А», «Родители 5А».
    pub name: String,
    /// The roles an invite to it may grant, in the order to offer them.
    pub roles: Vec<Role>,
}

/// How long a new invite works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InviteExpiry {
    /// Until the end of the current half of the school year (31 December, or 31 May), Moscow time.
    EndOfTerm,
    Never,
    /// Until the end of this day (`YYYY-MM-DD`), Moscow time; today or later.
    On {
        date: String,
    },
}

/// `POST /api/v1/schools/{school_id}/invites`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InviteCreate {
    pub target: InviteTarget,
    /// Teacher, student or parent; one the target allows (see [`InviteTargetOption::roles`]).
    pub role: Role,
    /// «Родительское собрание 1 сентября»; at most [`INVITE_LABEL_MAX_CHARS`] characters once
    /// cleaned (one line, [`crate::text`]); blank is none.
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub label: Option<String>,
    pub expiry: InviteExpiry,
    /// 1 to 1000; no limit when absent.
    #[serde(default)]
    pub max_uses: Option<u32>,
    /// Whether each person joining waits for an administrator or the class teacher to approve.
    #[serde(default)]
    pub requires_approval: bool,
}

/// An invite as its creator and the school's staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Invite {
    pub id: i64,
    pub school_id: i64,
    pub target: InviteTarget,
    pub target_name: String,
    pub role: Role,
    pub label: Option<String>,
    /// For a parent's link bound to one child: that child.
    pub child: Option<Author>,
    pub created_by: Author,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; absent when it never expires.
    pub expires_at: Option<String>,
    pub max_uses: Option<u32>,
    /// People who joined through it, or asked to.
    pub uses: u32,
    /// Join requests through it still waiting.
    pub pending_requests: u32,
    pub requires_approval: bool,
    pub state: InviteState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InviteState {
    Active,
    Expired,
    UsedUp,
    Revoked,
    #[serde(other)]
    Unknown,
}

/// The answer to creating an invite (also `POST /api/v1/schools/{school_id}/students/{student_id}/parent-invite`:
/// a one-use parent's link bound to that child, made by the child, a teacher of their class or an
/// administrator): the only time its token and short code are ever shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CreatedInvite {
    pub invite: Invite,
    /// The key of the link `<app origin>/join/<token>`.
    pub token: String,
    /// The short code for typing, without its dash (see [`display_code`]).
    pub code: String,
}

/// `POST /api/v1/schools/{school_id}/invites/revoke-unused`: revoke every active invite nobody used,
/// of the whole school (administrators) or of one target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RevokeUnused {
    #[serde(default)]
    pub target: Option<InviteTarget>,
}

/// How many invites a bulk action changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Affected {
    pub count: u32,
}

/// `GET /api/v1/join/{key}`: what an invite is for, shown before anything is asked. Anyone may read
/// it, signed in or not; a key that does not work answers with an error instead
/// (`invite_malformed`, `invite_not_found`, `invite_expired`, `invite_used_up`, `invite_revoked`),
/// and those answers name nothing of the school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitePreview {
    pub school_name: String,
    pub target: InviteTarget,
    pub target_name: String,
    pub role: Role,
    /// Name of the person who created the invite.
    pub invited_by: String,
    pub invited_by_teacher_verified: bool,
    pub label: Option<String>,
    pub requires_approval: bool,
    /// For a parent's link bound to one child: the child's name.
    pub child_name: Option<String>,
    /// Whether joining as a parent asks for the child's name (a class's parents' link not bound to
    /// a child).
    pub asks_child_name: bool,
    /// For a signed-in person: where they stand. Absent when signed out.
    pub viewer: Option<InviteViewer>,
}

/// Where the signed-in person stands with an invite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum InviteViewer {
    /// One tap joins (or asks to).
    CanJoin,
    /// They already hold what it grants: go straight to the chat.
    AlreadyMember { school_id: i64, chat_id: Option<i64> },
    /// They already asked; the request is waiting.
    Pending { request_id: i64 },
    /// A parent's link opened by the child it is for: the child must not become their own parent.
    IsTheChild,
    /// A status this version of the app does not know: offer to join, the server decides.
    #[serde(other)]
    Unknown,
}

/// `POST /api/v1/join/{key}` (signed in, profile complete).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct JoinBody {
    /// The child's first and last name, when [`InvitePreview::asks_child_name`]; at most
    /// [`CHILD_NAME_MAX_CHARS`] characters once cleaned (one line, [`crate::text`]).
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub child_name: Option<String>,
}

/// What joining did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JoinOutcome {
    /// A member now: open this chat (or the school's home when there is none).
    Joined { school_id: i64, chat_id: Option<i64> },
    /// Already held what the invite grants; nothing changed and no use was counted.
    AlreadyMember { school_id: i64, chat_id: Option<i64> },
    /// A request is waiting for approval; [`ServerEvent::JoinRequestDecided`](crate::ServerEvent)
    /// tells the outcome live.
    Pending { request: MyJoinRequest },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    #[serde(other)]
    Unknown,
}

/// A join request as its author sees it (`GET /api/v1/me/join-requests`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MyJoinRequest {
    pub id: i64,
    pub school_id: i64,
    pub school_name: String,
    pub target_name: String,
    pub role: Role,
    pub status: RequestStatus,
    /// RFC 3339.
    pub created_at: String,
    /// Once approved: the chat to open.
    pub chat_id: Option<i64>,
}

/// A join request as the people who decide on it see it (`GET /api/v1/schools/{school_id}/join-requests`:
/// administrators see every one of the school, teachers those into their classes and chats).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    pub id: i64,
    pub school_id: i64,
    pub person: Author,
    pub invite_id: i64,
    pub invite_label: Option<String>,
    pub target: InviteTarget,
    pub target_name: String,
    pub role: Role,
    /// For a parent: the child they named.
    pub child_name: Option<String>,
    pub status: RequestStatus,
    /// RFC 3339.
    pub created_at: String,
}

/// `POST /api/v1/schools/{school_id}/join-requests/approve`: approve these requests at once (the ones
/// the person saw, so that nothing arriving meanwhile is approved unseen).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApproveRequests {
    pub ids: Vec<i64>,
}

/// Where a teacher's «учитель» status stands in a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeacherStatus {
    /// Never asked for.
    Unverified,
    Pending,
    Verified,
    Declined,
    #[serde(other)]
    Unknown,
}

/// A teacher's request to have the «учитель» status confirmed
/// (`POST /api/v1/schools/{school_id}/teacher-verification` by the teacher,
/// `GET /api/v1/schools/{school_id}/teacher-verifications` for administrators).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TeacherVerification {
    pub id: i64,
    pub school_id: i64,
    pub teacher: Author,
    pub status: TeacherStatus,
    /// RFC 3339.
    pub requested_at: String,
    pub decided_at: Option<String>,
}

/// Where a teacher's request for a class stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClassRequestStatus {
    Pending,
    /// An administrator made them a teacher of a class.
    Assigned,
    Declined,
    #[serde(other)]
    Unknown,
}

/// A teacher's request to the school's administrators for a class to teach
/// (`POST /api/v1/schools/{school_id}/class-request` by the teacher,
/// `GET /api/v1/schools/{school_id}/class-requests` for administrators). Assigning the teacher to any
/// class (`PUT /api/v1/classes/{id}/teachers/{user_id}`) grants it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassRequest {
    pub id: i64,
    pub school_id: i64,
    pub teacher: Author,
    pub status: ClassRequestStatus,
    /// RFC 3339.
    pub requested_at: String,
    pub decided_at: Option<String>,
}

/// `POST /api/v1/classes/{id}/parent-invites`: one parent's link for each student of the class whose
/// parent has not joined yet, made at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassParentInvites {
    /// One per student, in the order of their names; each bound to its student (`invite.child`).
    pub invites: Vec<CreatedInvite>,
    /// Students skipped because a parent of theirs is already in the school.
    pub skipped: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_tokens_or_codes() {
        let token = "AbCdEfGhIjKlMnOpQrStUvWxYz012-_9";
        assert_eq!(InviteKey::parse(token), Some(InviteKey::Token(token.into())));
        assert_eq!(InviteKey::parse("k7qm-4xpd"), Some(InviteKey::Code("K7QM4XPD".into())));
        assert_eq!(InviteKey::parse(" K7QM 4XPD "), Some(InviteKey::Code("K7QM4XPD".into())));
        // 0, O, 1, I and L are not in the alphabet: a code with them was mistyped.
        assert_eq!(InviteKey::parse("K7QM-4XP0"), None);
        assert_eq!(InviteKey::parse("K7QM-4XPL"), None);
        assert_eq!(InviteKey::parse("K7QM-4XP#"), None);
        assert_eq!(InviteKey::parse("short"), None);
        assert_eq!(InviteKey::parse(&format!("{token}x")), None);
        assert_eq!(InviteKey::parse("AbCdEfGhIjKlMnOpQrStUvWxYz012-_!"), None);
        assert_eq!(display_code("K7QM4XPD"), "K7QM-4XPD");
    }

    #[test]
    fn targets_and_outcomes_are_tagged() {
        let target = InviteTarget::Class { class_id: 3 };
        assert_eq!(serde_json::to_string(&target).unwrap(), r#"{"kind":"class","class_id":3}"#);
        let outcome = JoinOutcome::Joined { school_id: 1, chat_id: Some(9) };
        assert_eq!(
            serde_json::to_string(&outcome).unwrap(),
            r#"{"status":"joined","school_id":1,"chat_id":9}"#
        );
        let expiry: InviteExpiry = serde_json::from_str(r#"{"kind":"on","date":"2027-05-31"}"#).unwrap();
        assert_eq!(expiry, InviteExpiry::On { date: "2027-05-31".into() });
    }
}

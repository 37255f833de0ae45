use serde::{Deserialize, Serialize};

/// The one error shape every endpoint answers with (any 4xx or 5xx status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable machine code: the app shows its own translated message for it.
    pub code: ErrorCode,
    /// Human-readable explanation in English, for logs and other clients.
    pub message: String,
    /// Which fields of the request were wrong, for `validation`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// For `rate_limited`, `resend_too_soon` and `server_busy`: when to try again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u32>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: Vec::new(), retry_after_seconds: None }
    }
}

/// Stable error codes. Clients must treat an unknown code like `internal` plus the HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body or query could not be read (not JSON, wrong types).
    BadRequest,
    /// One or more fields are wrong; see `fields`.
    Validation,
    /// Not a Russian phone number.
    InvalidPhone,
    /// A new code was asked for before the resend cooldown ended.
    ResendTooSoon,
    /// The code does not match (or there is no code for that number).
    CodeInvalid,
    /// The code is older than its lifetime or was already used: ask for a new one.
    CodeExpired,
    /// Too many wrong codes: this code no longer works, ask for a new one.
    TooManyAttempts,
    /// Too many requests from this number or address.
    RateLimited,
    /// No valid session: sign in.
    Unauthenticated,
    /// Signed in, but this person may not do that.
    Forbidden,
    /// Nothing there (or nothing this person may see).
    NotFound,
    /// A state-changing request without the CSRF header or from a foreign origin.
    CsrfRejected,
    /// The profile must be filled in before anything else.
    ProfileIncomplete,
    /// `/join/<key>`: the key cannot be an invite (mistyped or cut off).
    InviteMalformed,
    /// No invite has this key.
    InviteNotFound,
    /// The invite's time is over.
    InviteExpired,
    /// The invite reached its number of uses.
    InviteUsedUp,
    /// The invite was revoked.
    InviteRevoked,
    /// A parent's link opened by the child it is for.
    InviteIsForParent,
    /// The request was already decided (by someone else, a moment ago).
    AlreadyDecided,
    /// The person may read this chat but not post in it (a channel's reader).
    CannotPost,
    /// Only the author may edit a message (and only a text message that is not deleted).
    NotYourMessage,
    /// The time to edit the message is over.
    EditWindowPassed,
    /// The poll is closed: no more votes.
    PollClosed,
    /// The file is larger than [`crate::FILE_MAX_BYTES`] (413).
    FileTooLarge,
    /// Parta does not take files of this kind (415): see [`crate::ALLOWED_EXTENSIONS`].
    FileTypeNotAllowed,
    /// «Мои файлы» has no room left for this file (413): see [`crate::STORAGE_MAX_BYTES`].
    StorageFull,
    /// The person's uploads waiting to be sent (attached, neither sent nor kept) already take all the
    /// room the server allows them (413): send or remove some first.
    UnsentFilesFull,
    /// A picture of more than [`crate::IMAGE_MAX_PIXELS`] pixels, or one that would take too much
    /// memory to read (415): make it smaller.
    ImageTooLarge,
    /// The server is reading as many pictures as it can at once (503): try again after
    /// `retry_after_seconds`.
    ServerBusy,
    /// A class that still has members or messages cannot be deleted (archive it instead).
    ClassNotEmpty,
    /// The school's last administrator cannot be removed.
    LastAdmin,
    /// The request clashes with the current state (a name taken, a preview out of date): look again.
    Conflict,
    /// A young student may read but not write until a parent confirms the registration.
    ChildNotConfirmed,
    /// An account registered by a parent's e-mail joins as a student only.
    StudentsOnly,
    /// The child confirmation link is past its time or was already used.
    ConfirmationExpired,
    /// Something broke on the server; the request may be retried.
    Internal,
    /// A code this version of the app does not know.
    #[serde(other)]
    Unknown,
}

/// One wrong field of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body.
    pub field: String,
    pub problem: FieldProblem,
}

/// What is wrong with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    TooLong,
    InvalidCharacters,
    InvalidDate,
    DateInFuture,
    DateTooOld,
    /// A number outside its allowed range.
    OutOfRange,
    /// A value this field does not accept here (a role an invite target does not allow, …).
    NotAllowed,
    #[serde(other)]
    Unknown,
}

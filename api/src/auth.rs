use serde::{Deserialize, Serialize};

/// `POST /api/v1/auth/code`: send a one-time code to this phone number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// A Russian number in any common form: `+7 900 123-45-67`, `8 (900) 1234567`, …
    pub phone: String,
}

/// The answer to a code request: the same whether or not the number belongs to anyone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// The number, normalised to `+7XXXXXXXXXX`. [`EmailCodeSent`] has the same shape with `email` in
    /// its place, so a client may read both answers as this one type (the app does: one parser less).
    #[serde(alias = "email")]
    pub phone: String,
    /// How many digits the code has.
    pub code_length: u8,
    /// How long the code stays valid.
    pub expires_in_seconds: u32,
    /// How long until another code may be asked for.
    pub resend_after_seconds: u32,
}

/// `POST /api/v1/auth/session`: exchange the code for a session (set as an `HttpOnly` cookie).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub phone: String,
    pub code: String,
}

/// `GET /api/v1/auth/session`: whether the request carries a live session, and whose. Always `200`,
/// so that a start without a session is no error in the browser's console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SessionState {
    pub signed_in: bool,
    /// The person signed in; absent when nobody is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me: Option<crate::Me>,
}

/// `GET /api/v1/dev/outbox?phone=…` (or `?email=…`): the last code sent to a number or address, and
/// for an address the last child confirmation link. Only on backends started for development or
/// tests (capability `dev_outbox`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DevCode {
    /// The number asked about; empty when an address was.
    pub phone: String,
    /// The last code; empty when only a confirmation link went to the address.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The last child confirmation link sent to the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_link: Option<String>,
}

/// `POST /api/v1/auth/email/code`: send a one-time code to a parent's e-mail, for a young student who
/// has no phone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EmailCodeRequest {
    pub email: String,
}

/// The answer to an e-mail code request: the same whether or not the address is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EmailCodeSent {
    /// The address, trimmed and lower-cased.
    pub email: String,
    pub code_length: u8,
    pub expires_in_seconds: u32,
    pub resend_after_seconds: u32,
}

/// `POST /api/v1/auth/email/session`: exchange the code sent to a parent's e-mail for the choice of
/// who signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EmailSignIn {
    pub email: String,
    pub code: String,
}

/// One mailbox may serve several young children (siblings): whoever has the code chooses who signs
/// in, or a new profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EmailProfiles {
    /// Proves the code was right, for [`ChooseProfile`]; valid 10 minutes, once.
    pub ticket: String,
    /// The children registered with this address, oldest first; empty the first time.
    pub children: Vec<ChildProfile>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChildProfile {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
}

/// `POST /api/v1/auth/email/profile`: sign in as one of the children, or as a new young student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChooseProfile {
    pub ticket: String,
    /// One of [`EmailProfiles::children`]; absent: a new profile.
    #[serde(default)]
    pub child_id: Option<i64>,
}

/// `GET /api/v1/child-confirmations/{token}`: what a parent sees before confirming a young student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChildConfirmation {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// The schools the child joined, each with its classes.
    pub schools: Vec<ChildSchool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChildSchool {
    pub name: String,
    pub classes: Vec<String>,
}

/// `POST /api/v1/child-confirmations/{token}`: the parent's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChildDecision {
    /// True: «Подтверждаю, это мой ребёнок»; false: «Это не мой ребёнок» (the account stays limited).
    pub confirm: bool,
}

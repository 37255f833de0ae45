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
    /// The number, normalised to `+7XXXXXXXXXX`.
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

/// `GET /api/v1/dev/outbox?phone=…`: the last code sent to a number. Only on backends started for
/// development or tests (capability `dev_outbox`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DevCode {
    pub phone: String,
    pub code: String,
}

use contract::{
    ChildConfirmation, ChildDecision, ChooseProfile, CodeRequest, CodeSent, EmailCodeRequest, EmailProfiles,
    EmailSignIn, Me, ProfileUpdate, SessionState, SignIn,
};

use super::http::{api_base, delete, get, get_at, post, post_empty, put};
use crate::error::AppError;

/// Asks the backend to send a one-time code to `phone`.
pub async fn request_code(phone: String) -> Result<CodeSent, AppError> {
    post("/auth/code", &CodeRequest { phone }).await
}

/// Exchanges the code for a session (an `HttpOnly` cookie the app never sees).
pub async fn sign_in(phone: String, code: String) -> Result<Me, AppError> {
    post("/auth/session", &SignIn { phone, code }).await
}

/// Asks the backend to send a one-time code to a parent's e-mail (a young student without a phone).
/// The answer (`EmailCodeSent`) is read as a [`CodeSent`] whose `phone` is the address.
pub async fn request_email_code(email: String) -> Result<CodeSent, AppError> {
    post("/auth/email/code", &EmailCodeRequest { email }).await
}

/// Exchanges the e-mail code for the choice of who signs in (siblings share an address).
pub async fn email_sign_in(email: String, code: String) -> Result<EmailProfiles, AppError> {
    post("/auth/email/session", &EmailSignIn { email, code }).await
}

/// Signs in as one of the address's children, or (`None`) as a new young student.
pub async fn choose_profile(ticket: String, child_id: Option<i64>) -> Result<Me, AppError> {
    post("/auth/email/profile", &ChooseProfile { ticket, child_id }).await
}

/// Sends the parent the link that confirms this young student again.
pub async fn resend_child_confirmation() -> Result<(), AppError> {
    post_empty("/me/child-confirmation", &()).await
}

/// The young student a confirmation link is about.
pub async fn child_confirmation(token: String) -> Result<ChildConfirmation, AppError> {
    get(&format!("/child-confirmations/{token}"), None).await
}

/// The parent's answer through a confirmation link.
pub async fn decide_child(token: String, confirm: bool) -> Result<(), AppError> {
    post_empty(&format!("/child-confirmations/{token}"), &ChildDecision { confirm }).await
}

/// Ends the session on the server.
pub async fn sign_out() -> Result<(), AppError> {
    delete("/auth/session").await
}

/// Who is signed in: `Ok(None)` when nobody is.
pub async fn me() -> Result<Option<Me>, AppError> {
    me_at(api_base()).await
}

/// Who is signed in at the backend at `base` (at start, before the app settled on one). Asks
/// `GET /auth/session`, which answers a visitor without a session too, rather than `GET /me`, whose
/// `401` would be an error in the browser's console on every signed-out start.
pub async fn me_at(base: &str) -> Result<Option<Me>, AppError> {
    let state: SessionState = get_at(base, "/auth/session", None).await?;
    Ok(state.me.filter(|_| state.signed_in))
}

pub async fn save_profile(profile: ProfileUpdate) -> Result<Me, AppError> {
    put("/me/profile", &profile).await
}

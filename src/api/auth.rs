use contract::{CodeRequest, CodeSent, Me, ProfileUpdate, SignIn};

use super::http::{delete, get, post, put};
use crate::error::AppError;

/// Asks the backend to send a one-time code to `phone`.
pub async fn request_code(phone: String) -> Result<CodeSent, AppError> {
    post("/auth/code", &CodeRequest { phone }).await
}

/// Exchanges the code for a session (an `HttpOnly` cookie the app never sees).
pub async fn sign_in(phone: String, code: String) -> Result<Me, AppError> {
    post("/auth/session", &SignIn { phone, code }).await
}

/// Ends the session on the server.
pub async fn sign_out() -> Result<(), AppError> {
    delete("/auth/session").await
}

/// Who is signed in: `Ok(None)` when nobody is.
pub async fn me() -> Result<Option<Me>, AppError> {
    match get::<Me>("/me", None).await {
        Ok(me) => Ok(Some(me)),
        Err(e) if e.code() == Some(contract::ErrorCode::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn save_profile(profile: ProfileUpdate) -> Result<Me, AppError> {
    put("/me/profile", &profile).await
}

//! The one error type of the server, rendered as [`api::ApiError`] JSON.

use api::{ApiError, ErrorCode, FieldError};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("some fields are wrong")]
    Validation(Vec<FieldError>),
    #[error("not a Russian phone number")]
    InvalidPhone,
    #[error("a new code may be asked for in {retry_after_seconds} s")]
    ResendTooSoon { retry_after_seconds: u32 },
    #[error("the code does not match")]
    CodeInvalid,
    #[error("the code expired or was already used: ask for a new one")]
    CodeExpired,
    #[error("too many wrong codes: ask for a new one")]
    TooManyAttempts,
    #[error("too many requests: try again in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: u32 },
    #[error("sign in first")]
    Unauthenticated,
    #[error("this person may not do that")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("request refused by the CSRF check: {0}")]
    CsrfRejected(&'static str),
    #[error("fill in the profile first")]
    ProfileIncomplete,
    #[error("this cannot be an invite key")]
    InviteMalformed,
    #[error("no invite has this key")]
    InviteNotFound,
    #[error("the invite expired")]
    InviteExpired,
    #[error("the invite reached its number of uses")]
    InviteUsedUp,
    #[error("the invite was revoked")]
    InviteRevoked,
    #[error("this parent's link is for the child's parent, not for the child")]
    InviteIsForParent,
    #[error("this was already decided")]
    AlreadyDecided,
    #[error("only some members may post in this chat")]
    CannotPost,
    #[error("only the author may edit a message, and only a text message that is not deleted")]
    NotYourMessage,
    #[error("the time to edit this message is over")]
    EditWindowPassed,
    #[error("the poll is closed")]
    PollClosed,
    #[error("the file is larger than 20 MB")]
    FileTooLarge,
    #[error("Parta does not take files of this kind, or the content does not match the name")]
    FileTypeNotAllowed,
    #[error("«Мои файлы» has no room left for this file")]
    StorageFull,
    #[error("too many uploads are waiting to be sent: send or remove some first")]
    UnsentFilesFull,
    #[error("the picture is larger than {} megapixels", api::IMAGE_MAX_PIXELS / 1_000_000)]
    ImageTooLarge,
    #[error("the server is reading as many pictures as it can: try again in {retry_after_seconds} s")]
    ServerBusy { retry_after_seconds: u32 },
    #[error("the class still has members, join requests or messages: archive it instead")]
    ClassNotEmpty,
    #[error("the school's last administrator cannot be removed")]
    LastAdmin,
    /// What clashes, in words for logs and other clients («the staff room is never renamed»).
    #[error("{0}")]
    Conflict(String),
    #[error("a parent has not confirmed this young student yet")]
    ChildNotConfirmed,
    #[error("an account registered by a parent's e-mail joins as a student only")]
    StudentsOnly,
    #[error("the confirmation link expired or was already used")]
    ConfirmationExpired,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("file storage: {0}")]
    Storage(#[from] std::io::Error),
    #[error("sending the code failed: {0}")]
    CodeNotSent(#[from] crate::sender::SendError),
    #[error("a request handler panicked")]
    Panic,
}

impl AppError {
    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest),
            AppError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BadRequest),
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation),
            AppError::InvalidPhone => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidPhone),
            AppError::ResendTooSoon { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::ResendTooSoon),
            AppError::CodeInvalid => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::CodeInvalid),
            AppError::CodeExpired => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::CodeExpired),
            AppError::TooManyAttempts => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::TooManyAttempts),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated),
            AppError::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::CsrfRejected(_) => (StatusCode::FORBIDDEN, ErrorCode::CsrfRejected),
            AppError::ProfileIncomplete => (StatusCode::FORBIDDEN, ErrorCode::ProfileIncomplete),
            AppError::InviteMalformed => (StatusCode::BAD_REQUEST, ErrorCode::InviteMalformed),
            AppError::InviteNotFound => (StatusCode::NOT_FOUND, ErrorCode::InviteNotFound),
            // Gone, and for good: unlike a 404 the key was right, but it will never work again.
            AppError::InviteExpired => (StatusCode::GONE, ErrorCode::InviteExpired),
            AppError::InviteUsedUp => (StatusCode::GONE, ErrorCode::InviteUsedUp),
            AppError::InviteRevoked => (StatusCode::GONE, ErrorCode::InviteRevoked),
            AppError::InviteIsForParent => (StatusCode::CONFLICT, ErrorCode::InviteIsForParent),
            AppError::AlreadyDecided => (StatusCode::CONFLICT, ErrorCode::AlreadyDecided),
            AppError::CannotPost => (StatusCode::FORBIDDEN, ErrorCode::CannotPost),
            AppError::NotYourMessage => (StatusCode::FORBIDDEN, ErrorCode::NotYourMessage),
            AppError::EditWindowPassed => (StatusCode::FORBIDDEN, ErrorCode::EditWindowPassed),
            // The vote itself was fine and the person may vote: the poll's state is what conflicts.
            AppError::PollClosed => (StatusCode::CONFLICT, ErrorCode::PollClosed),
            AppError::FileTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::FileTooLarge),
            AppError::FileTypeNotAllowed => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::FileTypeNotAllowed)
            }
            AppError::StorageFull => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::StorageFull),
            AppError::UnsentFilesFull => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::UnsentFilesFull),
            AppError::ImageTooLarge => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::ImageTooLarge),
            // The request was fine and will be taken later: the server asks for time, not a change.
            AppError::ServerBusy { .. } => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ServerBusy),
            AppError::ClassNotEmpty => (StatusCode::CONFLICT, ErrorCode::ClassNotEmpty),
            AppError::LastAdmin => (StatusCode::CONFLICT, ErrorCode::LastAdmin),
            AppError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::ChildNotConfirmed => (StatusCode::FORBIDDEN, ErrorCode::ChildNotConfirmed),
            AppError::StudentsOnly => (StatusCode::FORBIDDEN, ErrorCode::StudentsOnly),
            AppError::ConfirmationExpired => (StatusCode::GONE, ErrorCode::ConfirmationExpired),
            AppError::Database(_) | AppError::Storage(_) | AppError::CodeNotSent(_) | AppError::Panic => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut body = ApiError::new(code, self.to_string());
        if code == ErrorCode::Internal {
            // The details are for the operator's log, never for the client.
            tracing::error!(error = %self, "request failed");
            body.message = "internal server error".into();
        }
        match self {
            AppError::Validation(fields) => body.fields = fields,
            AppError::ResendTooSoon { retry_after_seconds }
            | AppError::RateLimited { retry_after_seconds }
            | AppError::ServerBusy { retry_after_seconds } => {
                body.retry_after_seconds = Some(retry_after_seconds);
                let mut response = (status, Json(body)).into_response();
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
                return response;
            }
            _ => {}
        }
        (status, Json(body)).into_response()
    }
}

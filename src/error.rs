//! What can go wrong when the app talks to its backend, and what a person is told about it.

use contract::{ApiError, ErrorCode, FieldProblem};

use crate::i18n::Strings;

/// A failed request, as the app sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum AppError {
    /// No answer at all: offline, DNS, server down, CORS refusal.
    Network,
    /// The backend answered with the contract's error shape.
    Api { status: u16, error: ApiError },
    /// The backend answered something that is not the contract (a proxy's HTML page, say).
    Unexpected { status: u16 },
}

impl AppError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            AppError::Api { error, .. } => Some(error.code),
            _ => None,
        }
    }

    pub fn problem_of(&self, field: &str) -> Option<FieldProblem> {
        match self {
            AppError::Api { error, .. } => error.fields.iter().find(|f| f.field == field).map(|f| f.problem),
            _ => None,
        }
    }

    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::Api { error, .. } => error.retry_after_seconds,
            _ => None,
        }
    }

    /// A sentence in the person's language saying what happened and what to do.
    pub fn message(&self, t: &Strings) -> String {
        let code = match self {
            AppError::Network => return t.error_network.to_string(),
            AppError::Unexpected { .. } => return t.error_internal.to_string(),
            AppError::Api { error, .. } => error.code,
        };
        let text = match code {
            ErrorCode::BadRequest => t.error_bad_request,
            ErrorCode::Validation => t.error_validation,
            ErrorCode::InvalidPhone => t.error_invalid_phone,
            ErrorCode::ResendTooSoon => t.error_resend_too_soon,
            ErrorCode::CodeInvalid => t.error_code_invalid,
            ErrorCode::CodeExpired => t.error_code_expired,
            ErrorCode::TooManyAttempts => t.error_too_many_attempts,
            ErrorCode::RateLimited => t.error_rate_limited,
            ErrorCode::Unauthenticated => t.error_unauthenticated,
            ErrorCode::Forbidden => t.error_forbidden,
            ErrorCode::NotFound => t.error_not_found,
            ErrorCode::CsrfRejected => t.error_csrf_rejected,
            ErrorCode::ProfileIncomplete => t.error_profile_incomplete,
            ErrorCode::InviteMalformed => t.error_invite_malformed,
            ErrorCode::InviteNotFound => t.error_invite_not_found,
            ErrorCode::InviteExpired => t.error_invite_expired,
            ErrorCode::InviteUsedUp => t.error_invite_used_up,
            ErrorCode::InviteRevoked => t.error_invite_revoked,
            ErrorCode::InviteIsForParent => t.error_invite_is_for_parent,
            ErrorCode::AlreadyDecided => t.error_already_decided,
            ErrorCode::CannotPost => t.error_cannot_post,
            ErrorCode::NotYourMessage => t.error_not_your_message,
            ErrorCode::EditWindowPassed => t.error_edit_window_passed,
            ErrorCode::PollClosed => t.error_poll_closed,
            ErrorCode::FileTooLarge => t.error_file_too_large,
            ErrorCode::FileTypeNotAllowed => t.error_file_type_not_allowed,
            ErrorCode::StorageFull => t.error_storage_full,
            ErrorCode::UnsentFilesFull => t.error_unsent_files_full,
            ErrorCode::ImageTooLarge => t.error_image_too_large,
            ErrorCode::ServerBusy => t.error_server_busy,
            ErrorCode::ClassNotEmpty => t.error_class_not_empty,
            ErrorCode::LastAdmin => t.error_last_admin,
            ErrorCode::Conflict => t.error_conflict,
            ErrorCode::ChildNotConfirmed => t.error_child_not_confirmed,
            ErrorCode::StudentsOnly => t.error_students_only,
            ErrorCode::ConfirmationExpired => t.error_confirmation_expired,
            ErrorCode::Internal | ErrorCode::Unknown => t.error_internal,
        };
        match self.retry_after() {
            Some(seconds) if seconds > 0 => {
                format!(
                    "{text} {}",
                    crate::i18n::fill(t.error_retry_after, &[("time", &crate::format::duration(seconds, t))])
                )
            }
            _ => text.to_string(),
        }
    }
}

/// The message for one wrong field of a form.
pub fn field_message(problem: FieldProblem, t: &Strings) -> &'static str {
    match problem {
        FieldProblem::Required => t.field_required,
        FieldProblem::TooLong => t.field_too_long,
        FieldProblem::InvalidCharacters => t.field_invalid_characters,
        FieldProblem::InvalidDate => t.field_invalid_date,
        FieldProblem::DateInFuture => t.field_date_in_future,
        FieldProblem::DateTooOld => t.field_date_too_old,
        FieldProblem::OutOfRange => t.field_out_of_range,
        FieldProblem::NotAllowed => t.field_not_allowed,
        FieldProblem::Unknown => t.field_invalid,
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    #[test]
    fn the_picture_limit_in_words_is_the_contracts() {
        let megapixels = (contract::IMAGE_MAX_PIXELS / 1_000_000).to_string();
        for lang in [Lang::Ru, Lang::En] {
            assert!(lang.strings().error_image_too_large.contains(&megapixels), "{lang:?}");
        }
    }
}

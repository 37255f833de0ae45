//! How one-time codes reach people.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// A delivery channel for one-time codes (SMS gateway, messenger bot, …). Boxed futures keep it
/// usable as `Arc<dyn CodeSender>`.
pub trait CodeSender: Send + Sync {
    /// Delivers `code` to `phone` (normalised `+7XXXXXXXXXX`).
    fn send<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Writes the code to the server log: enough for a school's own installation, where the operator
/// reads codes out, and for development.
pub struct LogSender;

impl CodeSender for LogSender {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        code: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(phone = %api::phone::display(phone), %code, "one-time code");
            Ok(())
        })
    }
}

/// A delivery channel for e-mail to a parent (SMTP, a mail service): the codes of a young student
/// who has no phone, and the link that confirms the child.
pub trait MailSender: Send + Sync {
    /// Delivers `code` to `email` (normalised).
    fn send_code<'a>(
        &'a self,
        email: &'a str,
        code: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

    /// Asks the parent at `email` to confirm that `child` (first and last name) is theirs by opening
    /// `link`.
    fn send_child_confirmation<'a>(
        &'a self,
        email: &'a str,
        child: &'a str,
        link: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;
}

impl MailSender for LogSender {
    fn send_code<'a>(
        &'a self,
        email: &'a str,
        code: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(%email, %code, "one-time code by e-mail");
            Ok(())
        })
    }

    fn send_child_confirmation<'a>(
        &'a self,
        email: &'a str,
        child: &'a str,
        link: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(%email, %child, %link, "child confirmation link by e-mail");
            Ok(())
        })
    }
}

/// What was last sent to each address.
#[derive(Clone, Default)]
pub struct DevMail {
    pub code: Option<String>,
    pub confirmation_link: Option<String>,
}

/// The last code sent to each number or address, and the last confirmation link to each address, for
/// `GET /api/v1/dev/outbox` (development and automated tests only: it hands codes to anyone who asks).
#[derive(Default)]
pub struct DevOutbox {
    last_code: Mutex<HashMap<String, String>>,
    mail: Mutex<HashMap<String, DevMail>>,
}

impl DevOutbox {
    pub fn record(&self, phone: &str, code: &str) {
        lock(&self.last_code).insert(phone.to_string(), code.to_string());
    }

    pub fn last_code(&self, phone: &str) -> Option<String> {
        lock(&self.last_code).get(phone).cloned()
    }

    pub fn record_email_code(&self, email: &str, code: &str) {
        lock(&self.mail).entry(email.to_string()).or_default().code = Some(code.to_string());
    }

    pub fn record_confirmation_link(&self, email: &str, link: &str) {
        lock(&self.mail).entry(email.to_string()).or_default().confirmation_link = Some(link.to_string());
    }

    pub fn last_mail(&self, email: &str) -> Option<DevMail> {
        lock(&self.mail).get(email).cloned()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the map half-written, so poisoning is moot.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

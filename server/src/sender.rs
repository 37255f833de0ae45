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

/// The last code sent to each number, for `GET /api/v1/dev/outbox` (development and automated
/// tests only: it hands codes to anyone who asks).
#[derive(Default)]
pub struct DevOutbox {
    last_code: Mutex<HashMap<String, String>>,
}

impl DevOutbox {
    pub fn record(&self, phone: &str, code: &str) {
        self.lock().insert(phone.to_string(), code.to_string());
    }

    pub fn last_code(&self, phone: &str) -> Option<String> {
        self.lock().get(phone).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        // A panic while holding the lock cannot leave the map half-written, so poisoning is moot.
        self.last_code.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

use std::future::Future;

use contract::{Chat, ChatSummary, MessagePage};

use super::http::{abort_on_cleanup, get};
use crate::error::AppError;

// Not `async fn`s: the abort signal must be tied to the screen that asks, which is the reactive scope
// when these are called, not when the future first runs.

pub fn chats() -> impl Future<Output = Result<Vec<ChatSummary>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get("/chats", signal.as_ref()).await }
}

pub fn chat(id: i64) -> impl Future<Output = Result<Chat, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/chats/{id}"), signal.as_ref()).await }
}

/// The latest page of a chat's timeline, oldest first.
pub fn messages(chat_id: i64) -> impl Future<Output = Result<MessagePage, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/chats/{chat_id}/messages?limit=50"), signal.as_ref()).await }
}

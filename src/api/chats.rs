use contract::{Chat, ChatSummary, MessagePage};

use super::http::{abort_on_cleanup, get};
use crate::error::AppError;

pub async fn chats() -> Result<Vec<ChatSummary>, AppError> {
    get("/chats", abort_on_cleanup().as_ref()).await
}

pub async fn chat(id: i64) -> Result<Chat, AppError> {
    get(&format!("/chats/{id}"), abort_on_cleanup().as_ref()).await
}

/// The latest page of a chat's timeline, oldest first.
pub async fn messages(chat_id: i64) -> Result<MessagePage, AppError> {
    get(&format!("/chats/{chat_id}/messages?limit=50"), abort_on_cleanup().as_ref()).await
}

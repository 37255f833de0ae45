use std::future::Future;

use contract::{
    AckList, AddMembers, Chat, ChatChanges, ChatMember, ChatSummary, Contact, EditMessage, Message,
    MessagePage, NewChat, NewDirectChat, NewMessage, NewPoll, PinMessage, ReadUpTo, SearchHit, Vote,
};

use super::http::{abort_on_cleanup, delete, delete_for, get, patch, post, post_empty, put, put_empty};
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

/// Which part of a timeline to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageOf {
    Latest,
    /// The messages just older than this one.
    Before(i64),
    /// The messages just newer than this one.
    After(i64),
}

fn messages_path(chat_id: i64, page: PageOf, limit: u32) -> String {
    let query = match page {
        PageOf::Latest => String::new(),
        PageOf::Before(id) => format!("&before={id}"),
        PageOf::After(id) => format!("&after={id}"),
    };
    format!("/chats/{chat_id}/messages?limit={limit}{query}")
}

/// A page of a chat's timeline, oldest first, for the screen being made now.
pub fn messages(
    chat_id: i64,
    page: PageOf,
    limit: u32,
) -> impl Future<Output = Result<MessagePage, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&messages_path(chat_id, page, limit), signal.as_ref()).await }
}

/// A further page asked for while a timeline is shown (scrolling, catching up). Called from event
/// handlers and tasks, outside any reactive scope, so nothing ties it to a screen: registering a
/// cleanup there would attach it to whichever scope happens to be current.
pub async fn more_messages(chat_id: i64, page: PageOf, limit: u32) -> Result<MessagePage, AppError> {
    get(&messages_path(chat_id, page, limit), None).await
}

/// Sends a message. Not tied to a screen: an unsent message outlives the chat it was written in.
pub async fn send_message(chat_id: i64, message: &NewMessage) -> Result<Message, AppError> {
    post(&format!("/chats/{chat_id}/messages"), message).await
}

pub async fn edit_message(
    chat_id: i64,
    message_id: i64,
    text: String,
    mentions: Vec<i64>,
) -> Result<Message, AppError> {
    patch(&format!("/chats/{chat_id}/messages/{message_id}"), &EditMessage { text, mentions: Some(mentions) })
        .await
}

pub async fn delete_message(chat_id: i64, message_id: i64) -> Result<Message, AppError> {
    delete_for(&format!("/chats/{chat_id}/messages/{message_id}")).await
}

/// Adds (`on`) or takes back the person's reaction.
pub async fn react(chat_id: i64, message_id: i64, emoji: &str, on: bool) -> Result<Message, AppError> {
    let emoji = String::from(js_sys::encode_uri_component(emoji));
    let path = format!("/chats/{chat_id}/messages/{message_id}/reactions/{emoji}");
    if on { put_empty(&path).await } else { delete_for(&path).await }
}

pub async fn read_up_to(chat_id: i64, message_id: i64) -> Result<(), AppError> {
    post_empty(&format!("/chats/{chat_id}/read"), &ReadUpTo { message_id }).await
}

/// Whom the people of a school are listed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeopleFor {
    /// Those the person may start a 1:1 with (safe mode decides).
    Direct,
    /// Those a manager may add to this chat.
    Chat(i64),
}

pub fn people(school_id: i64, purpose: PeopleFor) -> impl Future<Output = Result<Vec<Contact>, AppError>> {
    let signal = abort_on_cleanup();
    let query = match purpose {
        PeopleFor::Direct => "for=direct".to_string(),
        PeopleFor::Chat(chat_id) => format!("for=chat&chat_id={chat_id}"),
    };
    async move { get(&format!("/schools/{school_id}/people?{query}"), signal.as_ref()).await }
}

/// The 1:1 with this person: the one there is, or a new one.
pub async fn start_direct(school_id: i64, user_id: i64) -> Result<ChatSummary, AppError> {
    post(&format!("/schools/{school_id}/direct"), &NewDirectChat { user_id }).await
}

pub async fn create_chat(school_id: i64, chat: &NewChat) -> Result<ChatSummary, AppError> {
    post(&format!("/schools/{school_id}/chats"), chat).await
}

pub fn members(chat_id: i64) -> impl Future<Output = Result<Vec<ChatMember>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/chats/{chat_id}/members"), signal.as_ref()).await }
}

/// The chat as it is now, asked for after a live change (outside any screen's scope).
pub async fn chat_again(id: i64) -> Result<Chat, AppError> {
    get(&format!("/chats/{id}"), None).await
}

pub async fn change_chat(chat_id: i64, changes: &ChatChanges) -> Result<Chat, AppError> {
    patch(&format!("/chats/{chat_id}"), changes).await
}

pub async fn add_members(chat_id: i64, user_ids: Vec<i64>) -> Result<Vec<ChatMember>, AppError> {
    post(&format!("/chats/{chat_id}/members"), &AddMembers { user_ids }).await
}

pub async fn remove_member(chat_id: i64, user_id: i64) -> Result<(), AppError> {
    delete(&format!("/chats/{chat_id}/members/{user_id}")).await
}

/// An administrator joins a chat of their school they were reading from outside.
pub async fn join_chat(chat_id: i64) -> Result<Chat, AppError> {
    post(&format!("/chats/{chat_id}/join"), &()).await
}

pub async fn leave_chat(chat_id: i64) -> Result<(), AppError> {
    post_empty(&format!("/chats/{chat_id}/leave"), &()).await
}

/// Asks a poll. Like a message, `client_id` makes a retry safe.
pub async fn create_poll(chat_id: i64, poll: &NewPoll) -> Result<Message, AppError> {
    post(&format!("/chats/{chat_id}/polls"), poll).await
}

/// The person's choices in a poll (none takes the vote back).
pub async fn vote(chat_id: i64, message_id: i64, choices: Vec<u32>) -> Result<Message, AppError> {
    put(&format!("/chats/{chat_id}/messages/{message_id}/vote"), &Vote { choices }).await
}

pub async fn close_poll(chat_id: i64, message_id: i64) -> Result<Message, AppError> {
    post(&format!("/chats/{chat_id}/messages/{message_id}/close"), &()).await
}

/// «Ознакомлен».
pub async fn acknowledge(chat_id: i64, message_id: i64) -> Result<Message, AppError> {
    post(&format!("/chats/{chat_id}/messages/{message_id}/ack"), &()).await
}

/// Who has acknowledged an announcement and who has not (its author and the chat's moderators).
pub async fn acks(chat_id: i64, message_id: i64) -> Result<AckList, AppError> {
    get(&format!("/chats/{chat_id}/messages/{message_id}/acks"), None).await
}

/// Pins a message above the chat's timeline.
pub async fn pin_message(chat_id: i64, message_id: i64) -> Result<Chat, AppError> {
    put(&format!("/chats/{chat_id}/pin"), &PinMessage { message_id }).await
}

pub async fn unpin(chat_id: i64) -> Result<Chat, AppError> {
    delete_for(&format!("/chats/{chat_id}/pin")).await
}

/// Messages with every word of `query`, in the person's chats or in `chat_id`, newest first.
pub fn search(query: String, chat_id: Option<i64>) -> impl Future<Output = Result<Vec<SearchHit>, AppError>> {
    let signal = abort_on_cleanup();
    let words = String::from(js_sys::encode_uri_component(&query));
    let path = match chat_id {
        Some(id) => format!("/search?q={words}&chat_id={id}"),
        None => format!("/search?q={words}"),
    };
    async move { get(&path, signal.as_ref()).await }
}

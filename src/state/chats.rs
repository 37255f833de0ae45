//! The person's chat list, kept live: new messages move a chat to the top with its preview and unread
//! count, reads on any device clear it, and the tab's title counts what is unread. The list as last
//! known is kept in `localStorage`, so that the app started without a network still shows the chats
//! and each chat's header (forgotten on sign-out, as drafts are).

use contract::{ChatSummary, MessageKind, MessagePreview, ServerEvent};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::error::AppError;
use crate::hooks::{Load, use_load};
use crate::routes;
use crate::state::connection::use_connection;
use crate::state::notifications;
use crate::state::session::use_session;

const PREVIEW_MAX_CHARS: usize = 100;

/// `localStorage` prefix of the list as last known, followed by the user id.
pub const CHATS_PREFIX: &str = "parta.chats.";

#[derive(Clone, Copy)]
pub struct Chats {
    user_id: i64,
    list: Load<Vec<ChatSummary>>,
    /// The chat the person is reading right now (open, scrolled to its end, tab visible): its new
    /// messages are read as they arrive, so they never count as unread.
    reading: RwSignal<Option<i64>>,
}

impl Chats {
    /// The list as last loaded and updated (reactive): `None` while the first load is under way.
    pub fn get(&self) -> Option<Result<Vec<ChatSummary>, AppError>> {
        self.list.get()
    }

    pub fn reload(&self) {
        self.list.refetch();
    }

    /// Unread messages of one chat (reactive).
    pub fn unread(&self, chat_id: i64) -> u32 {
        self.list
            .try_with(|list| {
                list.and_then(|l| l.as_ref().ok())
                    .and_then(|l| l.iter().find(|c| c.id == chat_id))
                    .map_or(0, |c| c.unread_count)
            })
            .unwrap_or(0)
    }

    /// The list's row of one chat, as last known (reactive): what the chat's header shows while the
    /// chat itself cannot be loaded.
    pub fn summary(&self, chat_id: i64) -> Option<ChatSummary> {
        self.list
            .try_with(|list| {
                list.and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|c| c.id == chat_id)).cloned()
            })
            .flatten()
    }

    /// Safe to call while signing out, when the list may be gone before the chat that was open.
    pub fn set_reading(&self, chat_id: Option<i64>) {
        if self.reading.try_get_untracked().is_some_and(|reading| reading != chat_id) {
            let _ = self.reading.try_set(chat_id);
        }
    }

    fn update(&self, change: impl FnOnce(&mut Vec<ChatSummary>)) {
        self.list.update_ok(change);
        let user_id = self.user_id;
        self.list.try_with(|list| {
            if let Some(Ok(list)) = list {
                remember(user_id, list);
            }
        });
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn remember(user_id: i64, list: &[ChatSummary]) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(list)) {
        let _ = storage.set_item(&format!("{CHATS_PREFIX}{user_id}"), &json);
    }
}

fn remembered(user_id: i64) -> Option<Vec<ChatSummary>> {
    let json = storage()?.get_item(&format!("{CHATS_PREFIX}{user_id}")).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

/// The person's chats from the backend, remembered; without a network, those remembered last time.
async fn load(user_id: i64) -> Result<Vec<ChatSummary>, AppError> {
    match crate::api::chats().await {
        Ok(list) => {
            remember(user_id, &list);
            Ok(list)
        }
        Err(AppError::Network) => remembered(user_id).ok_or(AppError::Network),
        Err(error) => Err(error),
    }
}

pub fn use_chats() -> Chats {
    expect_context::<Chats>()
}

/// Loads the list and keeps it up to date from the live connection. Call inside the signed-in layout,
/// after `provide_connection()`.
pub fn provide_chats() -> Chats {
    let session = use_session();
    let user_id = session.me().map(|me| me.user.id).unwrap_or_default();
    let chats = Chats { user_id, list: use_load(move || load(user_id)), reading: RwSignal::new(None) };
    provide_context(chats);
    let connection = use_connection();
    let me = Memo::new(move |_| session.me().map(|me| me.user.id));

    let navigate = StoredValue::new_local(use_navigate());
    connection.on_chat_event(move |event| match event {
        ServerEvent::MessageCreated { message, .. } => {
            let own = message.author.as_ref().map(|a| a.id) == me.get_untracked();
            let reading = chats.reading.get_untracked() == Some(message.chat_id);
            let counts = matches!(message.kind, MessageKind::Text | MessageKind::Poll) && !own && !reading;
            let mut known = false;
            let mut title = None;
            chats.update(|list| {
                if let Some(index) = list.iter().position(|c| c.id == message.chat_id) {
                    known = true;
                    let mut chat = list.remove(index);
                    chat.last_message = Some(MessagePreview {
                        author_name: message.author.as_ref().map(|a| a.name.clone()),
                        text: preview(&message.text),
                        system: message.system.clone(),
                    });
                    chat.last_activity_at = message.created_at.clone();
                    if counts {
                        chat.unread_count += 1;
                        if message.mentions.iter().any(|p| Some(p.user_id) == me.get_untracked()) {
                            chat.unread_mentions += 1;
                        }
                        title = Some(chat.title.clone());
                    }
                    list.insert(0, chat);
                }
            });
            // A chat the list does not know yet (just added to it): load the list again.
            if !known {
                chats.reload();
            }
            if let Some(title) = title {
                let body = match &message.author {
                    Some(author) => format!("{}: {}", author.name, preview(&message.text)),
                    None => preview(&message.text),
                };
                let chat_id = message.chat_id;
                notifications::notify(chat_id, &title, &body, move || {
                    let _ = navigate
                        .try_with_value(|navigate| navigate(&routes::chat(chat_id), Default::default()));
                });
            }
        }
        ServerEvent::ChatRead { chat_id, unread_count, .. } => chats.update(|list| {
            if let Some(chat) = list.iter_mut().find(|c| c.id == *chat_id) {
                chat.unread_count = *unread_count;
                // Read up to the end, nothing mentioning the person is new; otherwise the next
                // load of the list tells.
                if *unread_count == 0 {
                    chat.unread_mentions = 0;
                }
            }
        }),
        ServerEvent::ChatUpdated { .. } | ServerEvent::Resync { .. } => chats.reload(),
        _ => {}
    });
    // Joined or left a chat; or the connection started afresh and may have missed something.
    Effect::new(move |previous: Option<u32>| {
        let starts = connection.fresh_starts();
        if previous.is_some_and(|p| p != starts) {
            chats.reload();
        }
        starts
    });
    Effect::new(move |_| {
        if let Some(ServerEvent::MembershipsChanged) = connection.event() {
            chats.reload();
        }
    });
    chats
}

/// The total of unread messages, for the tab's title (reactive); 0 once signed out.
pub fn total_unread(chats: Chats) -> u32 {
    chats
        .list
        .try_with(|list| {
            list.and_then(|l| l.as_ref().ok()).map_or(0, |l| l.iter().map(|c| c.unread_count).sum())
        })
        .unwrap_or(0)
}

/// The start of a message for the chat list, as the server shortens it.
pub fn preview(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(PREVIEW_MAX_CHARS).collect();
    if chars.next().is_some() { format!("{}…", short.trim_end()) } else { short }
}

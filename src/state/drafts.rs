//! What the person started writing in each chat, kept in `localStorage` so that leaving the chat, a
//! reload or a closed tab loses nothing. Forgotten on sign-out (school computers are shared).

use leptos::prelude::window;

/// `localStorage` prefix, followed by `<user id>.<chat id>`.
pub const DRAFT_PREFIX: &str = "parta.draft.";

fn key(user_id: i64, chat_id: i64) -> String {
    format!("{DRAFT_PREFIX}{user_id}.{chat_id}")
}

pub fn draft(user_id: i64, chat_id: i64) -> String {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&key(user_id, chat_id)).ok().flatten())
        .unwrap_or_default()
}

pub fn save_draft(user_id: i64, chat_id: i64, text: &str) {
    let Some(storage) = window().local_storage().ok().flatten() else { return };
    let _ = if text.trim().is_empty() {
        storage.remove_item(&key(user_id, chat_id))
    } else {
        storage.set_item(&key(user_id, chat_id), text)
    };
}

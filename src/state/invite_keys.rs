//! Invite keys the browser must remember: the invite a person is joining through while they sign in,
//! and the links a teacher created. The server keeps only hashes of links, so it can never show one
//! again; this device can, until its person signs out.

use std::collections::BTreeMap;

use contract::InviteKey;
use leptos::prelude::window;
use serde::{Deserialize, Serialize};

use crate::routes;

/// `sessionStorage`: survives reloads and the phone switching apps to read the code, not the tab.
const JOINING_KEY: &str = "parta.joining";
/// `localStorage` prefix, followed by the user id.
const LINKS_PREFIX: &str = "parta.links.";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Remembers that the person opened this invite and is signing in to use it.
pub fn start_joining(key: &InviteKey) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(JOINING_KEY, key.as_str());
    }
}

/// The invite the person is joining through, if any.
pub fn joining() -> Option<InviteKey> {
    session_storage()?.get_item(JOINING_KEY).ok().flatten().and_then(|key| InviteKey::parse(&key))
}

pub fn stop_joining() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(JOINING_KEY);
    }
}

/// Where to go once signed in with a complete profile: back to the invite being joined, or home.
pub fn after_sign_in() -> String {
    joining().map_or_else(|| routes::HOME.to_string(), |key| routes::join(key.as_str()))
}

/// A link as shown when it was created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedLink {
    pub token: String,
    pub code: String,
}

fn links(user_id: i64) -> BTreeMap<i64, CreatedLink> {
    local_storage()
        .and_then(|s| s.get_item(&format!("{LINKS_PREFIX}{user_id}")).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps a new link on this device for its creator.
pub fn remember_link(user_id: i64, invite_id: i64, link: CreatedLink) {
    let mut all = links(user_id);
    all.insert(invite_id, link);
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(&all)) {
        let _ = storage.set_item(&format!("{LINKS_PREFIX}{user_id}"), &json);
    }
}

/// The link of an invite, if it was created on this device by this person.
pub fn created_link(user_id: i64, invite_id: i64) -> Option<CreatedLink> {
    links(user_id).remove(&invite_id)
}

/// Forgets everything: on sign-out a shared school computer keeps no one's links, drafts, unsent
/// messages or chat list.
pub fn forget_all() {
    stop_joining();
    let Some(storage) = local_storage() else { return };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| {
            [
                LINKS_PREFIX,
                crate::state::drafts::DRAFT_PREFIX,
                crate::state::outbox::OUTBOX_PREFIX,
                crate::state::chats::CHATS_PREFIX,
            ]
            .iter()
            .any(|prefix| key.starts_with(prefix))
        })
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}

/// The full address of an invite link on this app's origin.
pub fn link_url(token: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", routes::join(token))
}

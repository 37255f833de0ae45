//! Messages the person sent that the server has not confirmed yet (local echo, as Zulip does it).
//!
//! A message is shown at once as "sending", with an id the app made. It is kept in `localStorage`
//! until the server confirms it, so a reload or a dead battery loses nothing; sending again after a
//! lost answer is safe because the server keeps one message per client id. Messages go out one at a
//! time in the order they were written: a message waiting for the network holds back the ones after
//! it, so a chat never shows them out of order.

use std::cell::Cell;
use std::rc::Rc;

use contract::{Message, NewMessage, ServerEvent};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::state::connection::{ConnectionState, backoff_ms, use_connection};

/// `localStorage` prefix, followed by the user id.
pub const OUTBOX_PREFIX: &str = "parta.outbox.";

/// How many confirmed messages screens can still pick up (see [`Outbox::delivered`]).
const DELIVERED_KEPT: usize = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub client_id: String,
    pub chat_id: i64,
    pub text: String,
    pub reply_to: Option<i64>,
    /// An announcement asking every member for «Ознакомлен».
    #[serde(default)]
    pub ask_ack: bool,
    /// Files already uploaded, sent with it.
    #[serde(default)]
    pub attachments: Vec<contract::FileInfo>,
    /// The members it mentions, by user id.
    #[serde(default)]
    pub mentions: Vec<i64>,
    /// Milliseconds since 1970 when the person pressed send.
    pub written_at: f64,
    /// Why the last try failed. Not stored: after a reload every message is simply tried again.
    #[serde(skip)]
    pub failure: Option<Failure>,
}

/// How a message of the outbox is shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    /// On its way.
    Sending,
    /// Held until there is a connection, then sent by itself: nothing for the person to do.
    Waiting,
    /// The server refused it: the person tries again or deletes it.
    Refused(AppError),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// No answer (offline, server unreachable or failing): tried again by itself when the connection
    /// is back, and meanwhile holding back the messages after it.
    Connection,
    /// The server refused it (the chat is read-only now, the text too long…): only the person can
    /// decide, so it waits for "retry" or "delete" and the rest go on.
    Refused(AppError),
}

#[derive(Clone, Copy)]
pub struct Outbox {
    user_id: i64,
    pending: RwSignal<Vec<Pending>>,
    delivered: RwSignal<Vec<Message>>,
    running: StoredValue<Rc<Cell<bool>>, LocalStorage>,
}

impl Outbox {
    /// The unconfirmed messages of a chat, in order (reactive).
    pub fn pending_in(&self, chat_id: i64) -> Vec<Pending> {
        self.pending.with(|all| all.iter().filter(|p| p.chat_id == chat_id).cloned().collect())
    }

    /// How the message `client_id` is shown (reactive); `None` once it is sent or given up.
    pub fn delivery(&self, client_id: &str) -> Option<Delivery> {
        self.pending.with(|all| delivery(all, client_id))
    }

    /// The messages the server confirmed lately, newest last (reactive). The live connection brings
    /// them too, but not while it is down; a screen merges both, by id.
    pub fn delivered(&self) -> Vec<Message> {
        self.delivered.get()
    }

    /// Queues a message and starts sending it.
    /// Sends `text` with `attachments` (answering `reply_to`; asking for «Ознакомлен» when `ask_ack`;
    /// mentioning the members `mentions`).
    pub fn send(
        &self,
        chat_id: i64,
        text: String,
        reply_to: Option<i64>,
        ask_ack: bool,
        attachments: Vec<contract::FileInfo>,
        mentions: Vec<i64>,
    ) {
        let pending = Pending {
            client_id: client_id(),
            chat_id,
            text,
            reply_to,
            ask_ack,
            attachments,
            mentions,
            written_at: js_sys::Date::now(),
            failure: None,
        };
        self.pending.update(|all| all.push(pending));
        self.save();
        self.flush();
    }

    /// Tries a failed message again.
    pub fn retry(&self, client_id: &str) {
        self.pending.update(|all| {
            if let Some(p) = all.iter_mut().find(|p| p.client_id == client_id) {
                p.failure = None;
            }
        });
        self.flush();
    }

    /// Gives up on a message that was not sent.
    pub fn discard(&self, client_id: &str) {
        self.pending.update(|all| all.retain(|p| p.client_id != client_id));
        self.save();
    }

    fn confirmed(&self, message: &Message) {
        let Some(client_id) = message.client_id.as_deref() else { return };
        let mut found = false;
        let _ = self.pending.try_update(|all| {
            let before = all.len();
            all.retain(|p| p.client_id != client_id);
            found = all.len() != before;
        });
        if found {
            self.save();
        }
    }

    fn save(&self) {
        let Some(storage) = window().local_storage().ok().flatten() else { return };
        let key = format!("{OUTBOX_PREFIX}{}", self.user_id);
        let json = self.pending.with_untracked(|all| serde_json::to_string(all).unwrap_or_default());
        let _ = if json == "[]" { storage.remove_item(&key) } else { storage.set_item(&key, &json) };
    }

    /// Sends what is waiting, in order, until the queue is empty or the connection fails. Tries again
    /// by itself (with back-off) while the connection stays bad.
    fn flush(&self) {
        let Some(running) = self.running.try_get_value() else { return };
        if running.replace(true) {
            return;
        }
        let outbox = *self;
        spawn_local(async move {
            let mut attempt = 0;
            loop {
                // The first message not refused: a connection failure there stops everything after it.
                let next = outbox.pending.try_with_untracked(|all| {
                    all.iter().find(|p| !matches!(p.failure, Some(Failure::Refused(_)))).cloned()
                });
                let Some(Some(next)) = next else { break };
                let body = NewMessage {
                    client_id: next.client_id.clone(),
                    text: next.text.clone(),
                    reply_to: next.reply_to,
                    ask_ack: next.ask_ack,
                    attachments: next.attachments.iter().map(|f| f.id).collect(),
                    mentions: next.mentions.clone(),
                };
                match crate::api::send_message(next.chat_id, &body).await {
                    Ok(message) => {
                        attempt = 0;
                        outbox.confirmed(&message);
                        let _ = outbox.delivered.try_update(|list| {
                            list.push(message);
                            let extra = list.len().saturating_sub(DELIVERED_KEPT);
                            list.drain(..extra);
                        });
                    }
                    Err(error) => {
                        let lost = is_connection_failure(&error);
                        let failure = if lost { Failure::Connection } else { Failure::Refused(error) };
                        let _ = outbox.pending.try_update(|all| {
                            if let Some(p) = all.iter_mut().find(|p| p.client_id == next.client_id) {
                                p.failure = Some(failure);
                            }
                        });
                        if lost {
                            attempt += 1;
                            let until = js_sys::Date::now()
                                + f64::from(backoff_ms(attempt, js_sys::Math::random()).max(3000));
                            // Cut short when the connection comes back (which clears the failures). Tried
                            // again still marked as waiting, so that a retry that fails again does not
                            // flash "sending" every few seconds for as long as the network is away.
                            while js_sys::Date::now() < until && outbox.waits_for_connection() {
                                TimeoutFuture::new(250).await;
                            }
                        }
                    }
                }
            }
            running.set(false);
        });
    }

    fn waits_for_connection(&self) -> bool {
        self.pending
            .try_with_untracked(|all| all.iter().any(|p| p.failure == Some(Failure::Connection)))
            .unwrap_or(false)
    }

    fn clear_connection_failures(&self) {
        let _ = self.pending.try_update(|all| {
            for p in all.iter_mut().filter(|p| p.failure == Some(Failure::Connection)) {
                p.failure = None;
            }
        });
    }
}

/// How the message `client_id` of the outbox `all` is shown. Messages go out one at a time in order, so
/// one waiting for the connection holds back every later one: they wait as well (never "not sent": only
/// the server's refusal is a failure the person must act on).
fn delivery(all: &[Pending], client_id: &str) -> Option<Delivery> {
    let held = all.iter().any(|p| p.failure == Some(Failure::Connection));
    all.iter().find(|p| p.client_id == client_id).map(|p| match &p.failure {
        Some(Failure::Refused(error)) => Delivery::Refused(error.clone()),
        Some(Failure::Connection) => Delivery::Waiting,
        None if held => Delivery::Waiting,
        None => Delivery::Sending,
    })
}

/// No answer, or one that says the server (not the request) is at fault: worth trying again.
fn is_connection_failure(error: &AppError) -> bool {
    match error {
        AppError::Network => true,
        AppError::Api { status, .. } | AppError::Unexpected { status } => *status >= 500 || *status == 429,
    }
}

/// 128 random bits as 32 hex digits. `crypto.getRandomValues`, unlike `randomUUID`, also works on a
/// school server reached over plain http.
pub fn client_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// Loads the person's unsent messages and starts sending them. Call inside the signed-in layout, after
/// `provide_connection()`.
pub fn provide_outbox(user_id: i64) -> Outbox {
    let stored: Vec<Pending> = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&format!("{OUTBOX_PREFIX}{user_id}")).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let outbox = Outbox {
        user_id,
        pending: RwSignal::new(stored),
        delivered: RwSignal::new(Vec::new()),
        running: StoredValue::new_local(Rc::new(Cell::new(false))),
    };
    provide_context(outbox);
    let connection = use_connection();
    // The server's copy arrived live before the answer to the request did (or the answer was lost).
    connection.on_chat_event(move |event| {
        if let ServerEvent::MessageCreated { message, .. } = event {
            outbox.confirmed(message);
        }
    });
    // Back online: try at once rather than at the end of the back-off.
    Effect::new(move |_| {
        if connection.state() == ConnectionState::Online {
            outbox.clear_connection_failures();
            outbox.flush();
        }
    });
    let online = leptos::ev::online;
    let handle = window_event_listener(online, move |_| {
        outbox.clear_connection_failures();
        outbox.flush();
    });
    on_cleanup(move || handle.remove());
    outbox.flush();
    outbox
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(client_id: &str, failure: Option<Failure>) -> Pending {
        Pending {
            client_id: client_id.into(),
            chat_id: 1,
            text: "Привет".into(),
            reply_to: None,
            ask_ack: false,
            attachments: Vec::new(),
            mentions: Vec::new(),
            written_at: 0.0,
            failure,
        }
    }

    #[test]
    fn without_a_connection_every_message_waits_and_only_a_refusal_fails() {
        let refused = AppError::Unexpected { status: 422 };
        let all = [
            pending("a", Some(Failure::Refused(refused.clone()))),
            pending("b", Some(Failure::Connection)),
            pending("c", None),
        ];
        assert_eq!(delivery(&all, "a"), Some(Delivery::Refused(refused)));
        assert_eq!(delivery(&all, "b"), Some(Delivery::Waiting));
        assert_eq!(delivery(&all, "c"), Some(Delivery::Waiting), "held back by the one before it");
        assert_eq!(delivery(&all, "gone"), None);
    }

    #[test]
    fn with_a_connection_messages_are_sending() {
        let all = [pending("a", None), pending("b", None)];
        assert_eq!(delivery(&all, "a"), Some(Delivery::Sending));
        assert_eq!(delivery(&all, "b"), Some(Delivery::Sending));
    }

    #[test]
    fn a_refused_message_holds_nothing_back() {
        let refused = AppError::Unexpected { status: 403 };
        let all = [pending("a", Some(Failure::Refused(refused))), pending("b", None)];
        assert_eq!(delivery(&all, "b"), Some(Delivery::Sending));
    }

    #[test]
    fn after_a_reload_nothing_is_remembered_as_failed() {
        // Failures are not stored: a reloaded outbox tries every message again, shown as on its way.
        let stored = [
            pending("a", Some(Failure::Connection)),
            pending("b", Some(Failure::Refused(AppError::Unexpected { status: 422 }))),
        ];
        let json = serde_json::to_string(&stored).unwrap();
        let reloaded: Vec<Pending> = serde_json::from_str(&json).unwrap();
        assert_eq!(delivery(&reloaded, "a"), Some(Delivery::Sending));
        assert_eq!(delivery(&reloaded, "b"), Some(Delivery::Sending));
    }

    #[test]
    fn only_the_servers_refusal_is_a_failure_the_person_sees() {
        // No answer, a failing or busy server: waiting. A request the server judged: refused.
        for error in [
            AppError::Network,
            AppError::Unexpected { status: 502 },
            AppError::Unexpected { status: 503 },
            AppError::Unexpected { status: 429 },
        ] {
            assert!(is_connection_failure(&error), "{error:?} waits");
        }
        for status in [400, 403, 404, 413, 422] {
            assert!(!is_connection_failure(&AppError::Unexpected { status }), "{status} is refused");
        }
    }
}

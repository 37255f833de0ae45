//! The WebSocket of live events. This file only speaks the protocol; reconnecting and the connection
//! state the interface shows live in `state::connection`.

use futures::{SinkExt, StreamExt};
use gloo_net::websocket::{Message, futures::WebSocket};

use super::http::api_base;

/// `ws(s)://…/api/v1/events`, on the backend's origin or, when that is the app's own, on the page's;
/// `after` resumes after the last event seen (the server replays what was missed).
pub fn events_url(after: Option<i64>) -> Option<String> {
    let base = match api_base() {
        "" => leptos::prelude::window().location().origin().ok()?,
        base => base.to_string(),
    };
    let base = base.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
    let resume = after.map(|seq| format!("?after={seq}")).unwrap_or_default();
    Some(format!("{base}{}/events{resume}", contract::API_PREFIX))
}

/// One open connection. Dropping it closes the socket.
pub struct EventSocket {
    /// Always `Some` until dropped; `Option` only so that `Drop` can hand it to `close`.
    socket: Option<WebSocket>,
}

impl Drop for EventSocket {
    // gloo-net's socket does not close itself when dropped: the browser would keep it open, and the
    // server would keep a signed-out person's connection alive.
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take() {
            let _ = socket.close(Some(1000), None);
        }
    }
}

impl EventSocket {
    pub fn open(url: &str) -> Option<EventSocket> {
        WebSocket::open(url).ok().map(|socket| EventSocket { socket: Some(socket) })
    }

    /// The next event; `None` when the connection is closed or broken. Frames this version of the
    /// app does not understand come back as `ServerEvent::Unknown`.
    pub async fn next(&mut self) -> Option<contract::ServerEvent> {
        let socket = self.socket.as_mut()?;
        loop {
            match socket.next().await? {
                Ok(Message::Text(text)) => {
                    return Some(serde_json::from_str(&text).unwrap_or(contract::ServerEvent::Unknown));
                }
                Ok(Message::Bytes(_)) => continue,
                Err(_) => return None,
            }
        }
    }

    pub async fn send(&mut self, event: &contract::ClientEvent) -> bool {
        match serde_json::to_string(event) {
            Ok(text) => match self.socket.as_mut() {
                Some(socket) => socket.send(Message::Text(text)).await.is_ok(),
                None => false,
            },
            Err(_) => false,
        }
    }
}

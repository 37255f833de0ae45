//! The live-events connection: opened while a signed-in screen is shown, reconnected with back-off and
//! jitter, declared dead when the server's heartbeat stops.

use std::pin::pin;

use contract::{Capability, ClientEvent, ServerEvent};
use futures::future::{AbortHandle, Abortable, Either, select};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{EventSocket, events_url};
use crate::state::backend::use_backend;
use crate::state::session::use_session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Online,
    /// Lost; the next try is under way or waiting its turn.
    Reconnecting,
    /// The backend offers no live events.
    Unavailable,
}

#[derive(Clone, Copy)]
pub struct Connection {
    state: ReadSignal<ConnectionState>,
    event: ReadSignal<Option<ServerEvent>>,
}

impl Connection {
    pub fn state(&self) -> ConnectionState {
        self.state.get()
    }

    /// The latest event that concerns screens (reactive): joins decided, requests arrived. Heartbeats
    /// and the socket's own events never show here.
    pub fn event(&self) -> Option<ServerEvent> {
        self.event.get()
    }
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

/// Longest wait between two tries, in milliseconds.
const MAX_BACKOFF_MS: f64 = 30_000.0;

/// How long to wait before try number `attempt` (1, 2, …): doubling from one second up to half a
/// minute, then a random 50–100 % of it so that a whole class reconnecting after a school Wi-Fi hiccup
/// does not hit the server in the same second. `random` is in `[0, 1)`.
pub fn backoff_ms(attempt: u32, random: f64) -> u32 {
    let base = (1000.0 * 2f64.powi(attempt.saturating_sub(1).min(16) as i32)).min(MAX_BACKOFF_MS);
    (base * (0.5 + random.clamp(0.0, 1.0) / 2.0)) as u32
}

pub fn provide_connection() -> Connection {
    let (state, set_state) = signal(ConnectionState::Connecting);
    let (event, set_event) = signal(None);
    let connection = Connection { state, event };
    provide_context(connection);
    if !use_backend().has(Capability::Events) {
        set_state.set(ConnectionState::Unavailable);
        return connection;
    }
    let session = use_session();
    let (abort, registration) = AbortHandle::new_pair();
    // Leaving the signed-in screens drops the loop, and with it the socket.
    on_cleanup(move || abort.abort());
    spawn_local(async move {
        let _ = Abortable::new(run(set_state, set_event, session), registration).await;
    });
    connection
}

async fn run(
    set_state: WriteSignal<ConnectionState>,
    set_event: WriteSignal<Option<ServerEvent>>,
    session: crate::state::session::Session,
) {
    let mut attempt = 0u32;
    loop {
        if let Some(mut socket) = events_url().and_then(|url| EventSocket::open(&url)) {
            let mut heartbeat_ms = 25_000u32;
            loop {
                let event = {
                    let next = pin!(socket.next());
                    let silence = pin!(TimeoutFuture::new(heartbeat_ms.saturating_mul(2)));
                    match select(next, silence).await {
                        Either::Left((event, _)) => event,
                        // Silent for two heartbeats: the connection is dead even if no one said so.
                        Either::Right(_) => None,
                    }
                };
                match event {
                    Some(ServerEvent::Hello { heartbeat_seconds, .. }) => {
                        heartbeat_ms = heartbeat_seconds.max(1) * 1000;
                        attempt = 0;
                        set_state.set(ConnectionState::Online);
                    }
                    Some(ServerEvent::Ping) => {
                        if !socket.send(&ClientEvent::Pong).await {
                            break;
                        }
                    }
                    Some(ServerEvent::SessionEnded) => {
                        session.clear();
                        return;
                    }
                    Some(
                        event @ (ServerEvent::MembershipsChanged | ServerEvent::DecisionsChanged { .. }),
                    ) => {
                        // Roles, the «учитель» badge and the count of requests waiting live in `/me`.
                        if let Ok(Some(me)) = crate::api::me().await {
                            session.set(me);
                        }
                        set_event.set(Some(event));
                    }
                    Some(event @ ServerEvent::JoinRequestDecided { .. }) => set_event.set(Some(event)),
                    Some(ServerEvent::Unknown) => {}
                    None => break,
                }
            }
        }
        set_state.set(ConnectionState::Reconnecting);
        // A socket refused because the session expired would be retried forever: ask once.
        if let Ok(None) = crate::api::me().await {
            session.clear();
            return;
        }
        attempt += 1;
        TimeoutFuture::new(backoff_ms(attempt, js_sys::Math::random())).await;
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_up_to_half_a_minute_with_jitter() {
        assert_eq!(backoff_ms(1, 1.0), 1000);
        assert_eq!(backoff_ms(1, 0.0), 500);
        assert_eq!(backoff_ms(2, 1.0), 2000);
        assert_eq!(backoff_ms(4, 1.0), 8000);
        assert_eq!(backoff_ms(6, 1.0), 30_000);
        assert_eq!(backoff_ms(100, 1.0), 30_000);
        assert_eq!(backoff_ms(100, 0.0), 15_000);
    }
}

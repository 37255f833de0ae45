//! The live-events connection: opened while a signed-in screen is shown, reconnected with back-off and
//! jitter, declared dead when the server's heartbeat stops.

use std::cell::RefCell;
use std::pin::pin;
use std::rc::Rc;

use contract::{Capability, ClientEvent, ServerEvent};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
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

type Listener = Rc<dyn Fn(&ServerEvent)>;

#[derive(Default)]
struct Listeners {
    next_id: u64,
    list: Vec<(u64, Listener)>,
}

#[derive(Clone, Copy)]
pub struct Connection {
    state: ReadSignal<ConnectionState>,
    event: ReadSignal<Option<ServerEvent>>,
    /// Counts the connections that started afresh rather than resuming (the first one, and any after a
    /// `resync`): what was loaded before may have missed events, so screens reload.
    fresh_starts: ReadSignal<u32>,
    listeners: StoredValue<Rc<RefCell<Listeners>>, LocalStorage>,
    /// What the app says to the server (that the person is typing), sent while the socket is open.
    outgoing: StoredValue<UnboundedSender<ClientEvent>, LocalStorage>,
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

    /// Tells the chat's other members that the person is typing there. Dropped while offline: it is
    /// only worth anything now.
    pub fn typing(&self, chat_id: i64) {
        let _ =
            self.outgoing.try_with_value(|outgoing| outgoing.unbounded_send(ClientEvent::Typing { chat_id }));
    }

    /// Changes (reactively) each time the connection starts without a replay of what came before.
    pub fn fresh_starts(&self) -> u32 {
        self.fresh_starts.get()
    }

    /// Calls `listener` with every chat event (the numbered ones: `message_created`, `message_updated`,
    /// `chat_read`, `chat_updated`, `resync`; and `typing`), each exactly once and in order, until the calling component goes away. A signal would
    /// not do: a replay delivers many events at once, and a signal shows only the last.
    pub fn on_chat_event(&self, listener: impl Fn(&ServerEvent) + 'static) {
        let Some(listeners) = self.listeners.try_get_value() else { return };
        let id = {
            let mut all = listeners.borrow_mut();
            all.next_id += 1;
            let id = all.next_id;
            all.list.push((id, Rc::new(listener)));
            id
        };
        let listeners = send_wrapper::SendWrapper::new(listeners);
        on_cleanup(move || listeners.borrow_mut().list.retain(|(other, _)| *other != id));
    }
}

fn dispatch(listeners: &RefCell<Listeners>, event: &ServerEvent) {
    // Cloned out first: a listener may subscribe or unsubscribe others while it runs. One that went
    // away meanwhile (its screen closed by an earlier listener) is skipped: its state is gone.
    let list: Vec<(u64, Listener)> =
        listeners.borrow().list.iter().map(|(id, l)| (*id, Rc::clone(l))).collect();
    for (id, listener) in list {
        if listeners.borrow().list.iter().any(|(other, _)| *other == id) {
            listener(event);
        }
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
    let (fresh_starts, set_fresh_starts) = signal(0u32);
    let listeners = Rc::new(RefCell::new(Listeners::default()));
    let (outgoing, to_send) = unbounded();
    let connection = Connection {
        state,
        event,
        fresh_starts,
        listeners: StoredValue::new_local(Rc::clone(&listeners)),
        outgoing: StoredValue::new_local(outgoing),
    };
    provide_context(connection);
    if !use_backend().has(Capability::Events) {
        set_state.set(ConnectionState::Unavailable);
        return connection;
    }
    let session = use_session();
    // The browser says the network is back: try at once rather than at the end of the back-off.
    let (back_online, online) = unbounded::<()>();
    let handle = window_event_listener(leptos::ev::online, move |_| {
        let _ = back_online.unbounded_send(());
    });
    on_cleanup(move || handle.remove());
    let (abort, registration) = AbortHandle::new_pair();
    // Leaving the signed-in screens drops the loop, and with it the socket.
    on_cleanup(move || abort.abort());
    spawn_local(async move {
        let signals = Signals { state: set_state, event: set_event, fresh_starts: set_fresh_starts };
        let _ = Abortable::new(run(signals, listeners, to_send, online, session), registration).await;
    });
    connection
}

struct Signals {
    state: WriteSignal<ConnectionState>,
    event: WriteSignal<Option<ServerEvent>>,
    fresh_starts: WriteSignal<u32>,
}

async fn run(
    signals: Signals,
    listeners: Rc<RefCell<Listeners>>,
    mut to_send: UnboundedReceiver<ClientEvent>,
    mut online: UnboundedReceiver<()>,
    session: crate::state::session::Session,
) {
    let Signals { state: set_state, event: set_event, fresh_starts: set_fresh_starts } = signals;
    let mut attempt = 0u32;
    // The highest sequence number seen: a reconnection resumes after it.
    let mut last_seq: Option<i64> = None;
    loop {
        let resuming = last_seq.is_some();
        // Typing said while offline is stale by now.
        while to_send.try_recv().is_ok() {}
        if let Some(mut socket) = events_url(last_seq).and_then(|url| EventSocket::open(&url)) {
            let mut heartbeat_ms = 25_000u32;
            // Silent for two heartbeats: the connection is dead even if no one said so. Counted from
            // the last thing heard, not from the last thing said.
            let mut heard_at = js_sys::Date::now();
            loop {
                let turn = {
                    let next = pin!(socket.next());
                    let left =
                        (heard_at + f64::from(heartbeat_ms.saturating_mul(2)) - js_sys::Date::now()).max(0.0);
                    let silence = pin!(TimeoutFuture::new(left as u32));
                    match select(select(next, silence), to_send.next()).await {
                        Either::Left((Either::Left((event, _)), _)) => Ok(event),
                        Either::Left((Either::Right(_), _)) | Either::Right((None, _)) => Ok(None),
                        Either::Right((Some(said), _)) => Err(said),
                    }
                };
                let event = match turn {
                    Ok(event) => {
                        heard_at = js_sys::Date::now();
                        event
                    }
                    // Something to say: said, then back to listening.
                    Err(said) if socket.send(&said).await => continue,
                    Err(_) => None,
                };
                match event {
                    Some(ServerEvent::Hello { heartbeat_seconds, seq, .. }) => {
                        heartbeat_ms = heartbeat_seconds.max(1) * 1000;
                        attempt = 0;
                        if !resuming {
                            last_seq = Some(seq);
                            set_fresh_starts.update(|n| *n += 1);
                        }
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
                    Some(
                        event @ (ServerEvent::JoinRequestDecided { .. } | ServerEvent::RosterChanged { .. }),
                    ) => set_event.set(Some(event)),
                    Some(event @ ServerEvent::Typing { .. }) => dispatch(&listeners, &event),
                    // Every numbered event is about chats.
                    Some(event) if event.seq().is_some() => {
                        let seq = event.seq().unwrap_or_default();
                        // A replayed event the client has already seen (a resume racing a live send).
                        if last_seq.is_some_and(|last| seq <= last) {
                            continue;
                        }
                        last_seq = Some(seq);
                        if matches!(event, ServerEvent::Resync { .. }) {
                            set_fresh_starts.update(|n| *n += 1);
                        }
                        dispatch(&listeners, &event);
                    }
                    // Unknown to this version of the app.
                    Some(_) => {}
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
        while online.try_recv().is_ok() {}
        let wait = pin!(TimeoutFuture::new(backoff_ms(attempt, js_sys::Math::random())));
        // Woken early only by the browser's `online`, never by the page going away meanwhile.
        if let Either::Right((None, wait)) = select(wait, online.next()).await {
            wait.await;
        }
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

use std::collections::HashMap;
use std::time::Duration;

use api::{ApiError, ClientEvent, ServerEvent};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep_until};

use crate::AppState;
use crate::auth::csrf;
use crate::auth::session::Session;
use crate::error::AppError;
use crate::event_log;
use crate::extract;
use crate::hub::Frame;
use crate::people::display_name;
use crate::timeline;

/// `?after=` of the events socket.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The highest `seq` the client has seen: the events after it that concern the person are replayed
    /// first (or `resync` is sent when they cannot be).
    after: Option<i64>,
}

/// Live events over a WebSocket.
///
/// Authenticated by the session cookie; a browser's `Origin` must be this server or an allowed
/// origin. Every frame is one JSON object with a `type`.
///
/// With `?after=<seq>`, the events after it that concern the person (of the chats they are a member
/// of now, and their own `chat_read`s) are replayed, in order, right after `hello`; then the socket
/// goes live. When more than 500 would be replayed, when some were already pruned (events are kept
/// for 7 days), or when `after` is ahead of the newest event, the server sends `resync` instead.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    params(EventsQuery),
    security(("session" = [])),
    responses(
        (status = 101, description = "WebSocket: the server sends `ServerEvent` frames (first `hello`, then the replayed events or `resync` when asked with `after`, `ping` every `heartbeat_seconds`, and the person's events as they happen), the client answers `ping` with a `ClientEvent` `pong`; silence for twice the heartbeat closes the socket", body = ServerEvent),
        (status = 400, description = "`bad_request`: not a WebSocket upgrade, or `after` is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`: a foreign Origin", body = ApiError),
    ),
)]
pub async fn events(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extract::Query(query): extract::Query<EventsQuery>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    // Browsers let any page open a WebSocket with the user's cookies: the Origin check is what stops
    // another site from listening in.
    csrf::check_origin(&state.config, &headers)?;
    let upgrade = upgrade.map_err(|rejection| AppError::BadRequest(rejection.body_text()))?;
    let sockets = state.sockets.clone();
    Ok(upgrade.on_upgrade(move |socket| sockets.track_future(run(socket, state, session, query.after))))
}

async fn run(mut socket: WebSocket, state: AppState, session: Session, after: Option<i64>) {
    // Subscribed before reading what to replay, so that every event is either replayed or live (or
    // both: then the live copy, numbered no higher than the floor, is skipped).
    let mut events = state.hub.subscribe(session.user_id);
    let start = match event_log::start(&state.db, session.user_id, after).await {
        Ok(start) => start,
        Err(error) => {
            tracing::warn!(%error, "cannot read the events to replay");
            close(&mut socket, close_code::ERROR, "try again").await;
            return;
        }
    };
    let heartbeat = Duration::from_secs(state.config.heartbeat_seconds.into());
    let hello = ServerEvent::Hello {
        user_id: session.user_id,
        heartbeat_seconds: state.config.heartbeat_seconds,
        seq: start.newest,
    };
    if send(&mut socket, &hello).await.is_err() {
        return;
    }
    for frame in start.backlog {
        if send_frame(&mut socket, frame).await.is_err() {
            return;
        }
    }
    let floor = start.floor;
    let mut ticks = interval_at(Instant::now() + heartbeat, heartbeat);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // Made once rather than per turn of the loop: a busy chat's events wake every socket.
    let silence = sleep_until(Instant::now() + 2 * heartbeat);
    tokio::pin!(silence);
    let shutdown = state.shutdown.clone();
    let shutdown = shutdown.cancelled();
    tokio::pin!(shutdown);
    // When this socket last passed on «typing» per chat: a client that sends it too often is slowed.
    let mut typed: HashMap<i64, Instant> = HashMap::new();

    loop {
        tokio::select! {
            _ = ticks.tick() => {
                match session.is_alive(&state.db, state.clock.unix()).await {
                    Ok(true) => {}
                    Ok(false) => {
                        let _ = send(&mut socket, &ServerEvent::SessionEnded).await;
                        close(&mut socket, close_code::NORMAL, "session ended").await;
                        return;
                    }
                    Err(error) => tracing::warn!(%error, "cannot re-check the session of a socket"),
                }
                if send(&mut socket, &ServerEvent::Ping).await.is_err() {
                    return;
                }
            }
            () = &mut silence => {
                close(&mut socket, close_code::AWAY, "no pong").await;
                return;
            }
            frame = events.recv() => match frame {
                Some(frame) if frame.seq.is_some_and(|seq| seq <= floor) => {}
                Some(frame) => {
                    if send_frame(&mut socket, frame).await.is_err() {
                        return;
                    }
                }
                None => {
                    close(&mut socket, close_code::AGAIN, "fell behind").await;
                    return;
                }
            },
            () = &mut shutdown => {
                close(&mut socket, close_code::RESTART, "server shutting down").await;
                return;
            }
            received = socket.recv() => match received {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(message)) => {
                    silence.as_mut().reset(Instant::now() + 2 * heartbeat);
                    if let Message::Text(text) = message {
                        match serde_json::from_str::<ClientEvent>(&text) {
                            Ok(ClientEvent::Typing { chat_id }) => {
                                let now = Instant::now();
                                if typed.get(&chat_id).is_none_or(|last| now.duration_since(*last) >= TYPING_EVERY) {
                                    typed.insert(chat_id, now);
                                    if let Err(error) = pass_on_typing(&state, session.user_id, chat_id).await {
                                        tracing::warn!(%error, "cannot pass on typing");
                                    }
                                }
                            }
                            Ok(ClientEvent::Pong) => {}
                            Err(_) => tracing::debug!(%text, "ignoring an unknown client event"),
                        }
                    }
                }
            },
        }
    }
}

/// The least time between two «typing» events of one socket for one chat that are passed on.
const TYPING_EVERY: Duration = Duration::from_secs(2);

/// Tells the chat's other members that the person is typing there — if they are a member who may post
/// (anything else is ignored: the client may be out of date).
async fn pass_on_typing(state: &AppState, user_id: i64, chat_id: i64) -> Result<(), AppError> {
    let mut conn = state.db.acquire().await?;
    match timeline::access(&mut conn, chat_id, user_id).await {
        Ok(access) if access.can_post => {}
        Ok(_) | Err(AppError::NotFound) => return Ok(()),
        Err(error) => return Err(error),
    }
    let (first_name, last_name): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    let others: Vec<i64> =
        timeline::member_ids(&mut conn, chat_id).await?.into_iter().filter(|id| *id != user_id).collect();
    let name = display_name(first_name.as_deref(), last_name.as_deref());
    state.hub.send_all(others, &ServerEvent::Typing { chat_id, user_id, name });
    Ok(())
}

async fn send(socket: &mut WebSocket, event: &ServerEvent) -> Result<(), axum::Error> {
    send_frame(socket, Frame::new(event)).await
}

async fn send_frame(socket: &mut WebSocket, frame: Frame) -> Result<(), axum::Error> {
    socket.send(Message::Text(frame.text)).await
}

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
}

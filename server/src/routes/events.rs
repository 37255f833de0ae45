use std::time::Duration;

use api::{ApiError, ClientEvent, ServerEvent};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::response::Response;
use tokio::time::{Instant, MissedTickBehavior, interval_at, sleep_until};

use crate::AppState;
use crate::auth::csrf;
use crate::auth::session::Session;
use crate::error::AppError;

/// Live events over a WebSocket.
///
/// Authenticated by the session cookie; a browser's `Origin` must be this server or an allowed
/// origin. Every frame is one JSON object with a `type`.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    security(("session" = [])),
    responses(
        (status = 101, description = "WebSocket: the server sends `ServerEvent` frames (first `hello`, then `ping` every `heartbeat_seconds`, and the person's events as they happen), the client answers `ping` with a `ClientEvent` `pong`; silence for twice the heartbeat closes the socket", body = ServerEvent),
        (status = 400, description = "`bad_request`: not a WebSocket upgrade", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`: a foreign Origin", body = ApiError),
    ),
)]
pub async fn events(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    // Browsers let any page open a WebSocket with the user's cookies: the Origin check is what stops
    // another site from listening in.
    csrf::check_origin(&state.config, &headers)?;
    let upgrade = upgrade.map_err(|rejection| AppError::BadRequest(rejection.body_text()))?;
    let sockets = state.sockets.clone();
    Ok(upgrade.on_upgrade(move |socket| sockets.track_future(run(socket, state, session))))
}

async fn run(mut socket: WebSocket, state: AppState, session: Session) {
    // Subscribed before `hello`, so that nothing sent after the client heard it is missed.
    let mut events = state.hub.subscribe(session.user_id);
    let heartbeat = Duration::from_secs(state.config.heartbeat_seconds.into());
    let hello =
        ServerEvent::Hello { user_id: session.user_id, heartbeat_seconds: state.config.heartbeat_seconds };
    if send(&mut socket, &hello).await.is_err() {
        return;
    }
    let mut ticks = interval_at(Instant::now() + heartbeat, heartbeat);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut silent_until = Instant::now() + 2 * heartbeat;

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
            () = sleep_until(silent_until) => {
                close(&mut socket, close_code::AWAY, "no pong").await;
                return;
            }
            event = events.recv() => match event {
                Some(event) => {
                    if send(&mut socket, &event).await.is_err() {
                        return;
                    }
                }
                None => {
                    close(&mut socket, close_code::AGAIN, "fell behind").await;
                    return;
                }
            },
            () = state.shutdown.cancelled() => {
                close(&mut socket, close_code::RESTART, "server shutting down").await;
                return;
            }
            received = socket.recv() => match received {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(message)) => {
                    silent_until = Instant::now() + 2 * heartbeat;
                    if let Message::Text(text) = message
                        && serde_json::from_str::<ClientEvent>(&text).is_err()
                    {
                        tracing::debug!(%text, "ignoring an unknown client event");
                    }
                }
            },
        }
    }
}

async fn send(socket: &mut WebSocket, event: &ServerEvent) -> Result<(), axum::Error> {
    let text = serde_json::to_string(event).expect("server events always serialise");
    socket.send(Message::Text(text.into())).await
}

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: reason.into() }))).await;
}

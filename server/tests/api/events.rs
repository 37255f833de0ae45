use std::time::Duration;

use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Method, StatusCode, header};
use futures_util::{SinkExt, StreamExt};
use parta_server::app;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::support::{TestServer, request};

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

#[tokio::test]
async fn the_socket_needs_a_session() {
    let server = TestServer::new().await;
    server.get("/api/v1/events", None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn the_socket_refuses_foreign_origins() {
    let server = TestServer::new().await;
    let cookie = server.sign_in("+79001234567").await;
    let mut upgrade = request(Method::GET, "/api/v1/events", Some(&cookie), None);
    upgrade.headers_mut().insert(header::ORIGIN, "http://evil.example".parse().unwrap());
    server.send(upgrade).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");
}

/// Serves the test server's app on a real port, as WebSockets need.
pub async fn listen(server: &TestServer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app(server.state.clone()).layer(MockConnectInfo(address));
    let shutdown = server.state.shutdown.clone();
    tokio::spawn(async move {
        axum::serve(listener, router).with_graceful_shutdown(shutdown.cancelled_owned()).await.unwrap();
    });
    format!("ws://{address}/api/v1/events")
}

pub async fn connect(url: &str, cookie: &str) -> Socket {
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket
}

pub async fn next_event(socket: &mut Socket) -> api::ServerEvent {
    match next(socket).await {
        Message::Text(text) => serde_json::from_str(&text).unwrap(),
        other => panic!("expected an event, got {other:?}"),
    }
}

async fn next(socket: &mut Socket) -> Message {
    tokio::time::timeout(Duration::from_secs(3), socket.next())
        .await
        .expect("the server went quiet")
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn hello_then_pings_then_the_end_of_the_session() {
    let server = TestServer::with(|config| config.heartbeat_seconds = 1).await;
    let cookie = server.sign_in("+79001234567").await;
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    let url = listen(&server).await;

    let mut socket = connect(&url, &cookie).await;
    assert_eq!(
        next_event(&mut socket).await,
        api::ServerEvent::Hello { user_id: me.user.id, heartbeat_seconds: 1, seq: 0 }
    );
    assert_eq!(next_event(&mut socket).await, api::ServerEvent::Ping);
    socket.send(Message::text(serde_json::to_string(&api::ClientEvent::Pong).unwrap())).await.unwrap();

    assert_eq!(server.delete("/api/v1/auth/session", Some(&cookie)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(next_event(&mut socket).await, api::ServerEvent::SessionEnded);
    assert!(
        matches!(next(&mut socket).await, Message::Close(Some(frame)) if frame.code == CloseCode::Normal)
    );
}

#[tokio::test]
async fn shutdown_closes_sockets_cleanly() {
    let server = TestServer::new().await;
    let cookie = server.sign_in("+79001234567").await;
    let url = listen(&server).await;
    let mut socket = connect(&url, &cookie).await;
    assert!(matches!(next_event(&mut socket).await, api::ServerEvent::Hello { .. }));

    server.state.shutdown.cancel();
    assert!(
        matches!(next(&mut socket).await, Message::Close(Some(frame)) if frame.code == CloseCode::Restart)
    );
    server.state.sockets.close();
    tokio::time::timeout(Duration::from_secs(1), server.state.sockets.wait())
        .await
        .expect("the socket task ended");
}

#[tokio::test]
async fn the_socket_handshake_checks_the_cookie() {
    let server = TestServer::new().await;
    let url = listen(&server).await;
    let refused = tokio_tungstenite::connect_async(url.as_str()).await.unwrap_err();
    assert!(
        matches!(refused, tungstenite::Error::Http(ref response) if response.status() == StatusCode::UNAUTHORIZED)
    );
}

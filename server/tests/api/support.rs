//! A fresh server (temporary database and dist directory) per test, driven with `oneshot`.

use std::net::SocketAddr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use parta_server::config::Config;
use parta_server::{AppState, app};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// The client address of requests that do not name another.
pub const CLIENT: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 10)), 50000);

pub struct TestServer {
    pub state: AppState,
    pub router: Router,
    _dir: TempDir,
}

impl TestServer {
    /// A server with the dev outbox on and an empty dist directory.
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    pub async fn with(configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        let data_dir = dir.path().join("data");
        let mut config = Config {
            dist,
            data_dir: data_dir.clone(),
            dev_outbox: true,
            // What `serve` sets; requests here carry `Host: localhost:8080` too.
            listen_url: Some("http://localhost:8080".into()),
            ..Config::default()
        };
        configure(&mut config);
        let db = parta_server::db::open(&data_dir).await.unwrap();
        let state = AppState::new(db, config);
        Self::from_state(state, dir)
    }

    pub fn from_state(state: AppState, dir: TempDir) -> Self {
        let router = app(state.clone()).layer(MockConnectInfo(CLIENT));
        Self { state, router, _dir: dir }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.send(request(Method::GET, path, cookie, None)).await
    }

    pub async fn post(&self, path: &str, body: Value, cookie: Option<&str>) -> Reply {
        self.send(request(Method::POST, path, cookie, Some(body))).await
    }

    pub async fn put(&self, path: &str, body: Value, cookie: Option<&str>) -> Reply {
        self.send(request(Method::PUT, path, cookie, Some(body))).await
    }

    pub async fn patch(&self, path: &str, body: Value, cookie: Option<&str>) -> Reply {
        self.send(request(Method::PATCH, path, cookie, Some(body))).await
    }

    pub async fn delete(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.send(request(Method::DELETE, path, cookie, None)).await
    }

    pub async fn request_code(&self, phone: &str) -> Reply {
        self.post("/api/v1/auth/code", json!({ "phone": phone }), None).await
    }

    pub async fn submit_code(&self, phone: &str, code: &str) -> Reply {
        self.post("/api/v1/auth/session", json!({ "phone": phone, "code": code }), None).await
    }

    /// The code last sent to a normalised number.
    pub fn last_code(&self, phone: &str) -> String {
        self.state.outbox.as_ref().unwrap().last_code(phone).unwrap()
    }

    /// Signs in (creating the account if needed) and returns the `Cookie` header value.
    pub async fn sign_in(&self, phone: &str) -> String {
        let sent = self.request_code(phone).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
        let normalised = sent.json()["phone"].as_str().unwrap().to_string();
        let signed_in = self.submit_code(phone, &self.last_code(&normalised)).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text());
        signed_in.session_cookie()
    }

    /// Signs in and fills in the profile.
    pub async fn sign_up(&self, phone: &str, first_name: &str, last_name: &str) -> String {
        let cookie = self.sign_in(phone).await;
        let profile = json!({ "first_name": first_name, "last_name": last_name, "birth_date": "1985-05-15" });
        let reply = self.put("/api/v1/me/profile", profile, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        cookie
    }
}

/// A request as the app sends it: JSON bodies, the CSRF header on state-changing methods.
pub fn request(method: Method, path: &str, cookie: Option<&str>, body: Option<Value>) -> Request<Body> {
    let mut builder =
        Request::builder().method(method.clone()).uri(path).header(header::HOST, "localhost:8080");
    if method != Method::GET {
        builder = builder.header(api::CSRF_HEADER, "1");
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    match body {
        Some(body) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
        None => builder.body(Body::empty()).unwrap(),
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }

    pub fn parse<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |value| value.to_str().unwrap())
    }

    /// Asserts an error answer: its status, its `code`, and the JSON error shape.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/json");
        let error: api::ApiError = self.parse();
        assert_eq!(serde_json::to_value(error.code).unwrap(), code, "{}", self.text());
        assert!(!error.message.is_empty());
    }

    /// `name=value` of the `Set-Cookie` header, ready to send back as `Cookie`.
    pub fn session_cookie(&self) -> String {
        self.header("set-cookie").split(';').next().unwrap().to_string()
    }
}

/// People of the demo school, by phone number.
pub mod demo {
    pub const ADMIN: &str = "+79000000001";
    /// Class teacher of 5А, in its class and parents' chats; verified.
    pub const KUZNETSOVA: &str = "+79000000002";
    /// In «Учительская» only (and the 5А chats he teaches in); never asked for verification.
    pub const SOKOLOV: &str = "+79000000003";
    /// Class teacher of 9В; verified.
    pub const BELOVA: &str = "+79000000004";
    /// In «Учительская» only; his verification waits.
    pub const ORLOV: &str = "+79000000005";
    /// A student of 5А.
    pub const LEBEDEV: &str = "+79000000101";
    /// A student of 9В.
    pub const MOROZOVA: &str = "+79000000104";
    /// A parent in 5А.
    pub const LEBEDEVA: &str = "+79000000201";
    /// Another parent in 5А.
    pub const SMIRNOV: &str = "+79000000202";
}

/// A server with the demo school, and the ids of its classes and chats by name.
pub struct Demo {
    pub server: TestServer,
    pub school_id: i64,
    classes: std::collections::HashMap<String, i64>,
    chats: std::collections::HashMap<String, i64>,
}

impl Demo {
    pub async fn new() -> Demo {
        Self::with(|_| {}).await
    }

    /// The demo school on a server configured by `configure`.
    pub async fn with(configure: impl FnOnce(&mut Config)) -> Demo {
        let server = TestServer::with(configure).await;
        let db = &server.state.db;
        assert!(parta_server::demo::seed(db, server.state.clock.unix()).await.unwrap());
        let school_id = sqlx::query_scalar("SELECT id FROM schools").fetch_one(db).await.unwrap();
        let classes: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, id FROM classes").fetch_all(db).await.unwrap();
        let chats: Vec<(String, i64)> =
            sqlx::query_as("SELECT title, id FROM chats").fetch_all(db).await.unwrap();
        Demo { server, school_id, classes: classes.into_iter().collect(), chats: chats.into_iter().collect() }
    }

    pub fn class(&self, name: &str) -> i64 {
        self.classes[name]
    }

    pub fn chat(&self, title: &str) -> i64 {
        self.chats[title]
    }

    /// `/api/v1/chats/{id}` of the chat called `title` + `rest`.
    pub fn chat_path(&self, title: &str, rest: &str) -> String {
        format!("/api/v1/chats/{}{rest}", self.chat(title))
    }

    /// Posts `text` to the chat called `title` (asserting `201`).
    pub async fn post_message(&self, cookie: &str, title: &str, text: &str) -> api::Message {
        let body = json!({ "client_id": client_id(), "text": text });
        let reply = self.server.post(&self.chat_path(title, "/messages"), body, Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.parse()
    }

    /// The newest page of the chat called `title`, as `cookie` sees it.
    pub async fn timeline(&self, cookie: &str, title: &str) -> api::MessagePage {
        let reply = self.server.get(&self.chat_path(title, "/messages"), Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.parse()
    }

    /// `/api/v1/schools/{id}` + `rest`.
    pub fn school_path(&self, rest: &str) -> String {
        format!("/api/v1/schools/{}{rest}", self.school_id)
    }

    /// Creates an invite (asserting `201`).
    pub async fn invite(&self, cookie: &str, body: Value) -> api::CreatedInvite {
        let reply = self.server.post(&self.school_path("/invites"), body, Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.parse()
    }

    pub async fn join(&self, key: &str, cookie: &str, body: Value) -> Reply {
        self.server.post(&format!("/api/v1/join/{key}"), body, Some(cookie)).await
    }

    pub async fn preview(&self, key: &str, cookie: Option<&str>) -> Reply {
        self.server.get(&format!("/api/v1/join/{key}"), cookie).await
    }

    /// A new person with a complete profile.
    pub async fn newcomer(&self, phone: &str, first_name: &str, last_name: &str) -> String {
        self.server.sign_up(phone, first_name, last_name).await
    }

    /// The person's chats by title, with whether they may post.
    pub async fn chats_of(&self, cookie: &str) -> Vec<(String, bool)> {
        let list: Vec<api::ChatSummary> = self.server.get("/api/v1/chats", Some(cookie)).await.parse();
        let mut chats = Vec::new();
        for chat in list {
            let full: api::Chat =
                self.server.get(&format!("/api/v1/chats/{}", chat.id), Some(cookie)).await.parse();
            chats.push((full.title, full.can_post));
        }
        chats.sort();
        chats
    }
}

/// A fresh client id for a new message, as the app makes one when the person presses send.
pub fn client_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("test-{:08}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// An invite body: `target` and `role`, never expiring, no limit, no approval.
pub fn invite_body(target: Value, role: &str) -> Value {
    json!({ "target": target, "role": role, "expiry": { "kind": "never" } })
}

/// The `(field, problem)` pairs of a validation error.
pub fn field_problems(reply: &Reply) -> Vec<(String, String)> {
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    reply.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().into(), f["problem"].as_str().unwrap().into()))
        .collect()
}

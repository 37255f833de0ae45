//! Parta's reference backend: the REST + WebSocket contract of the `api` crate over SQLite, plus the
//! built web app served from a directory.

pub mod access;
pub mod activity;
pub mod audit;
pub mod auth;
pub mod classes;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod db;
pub mod demo;
pub mod error;
pub mod event_log;
pub mod extract;
pub mod files;
pub mod fill;
pub mod hub;
pub mod invites;
pub mod membership;
pub mod openapi;
pub mod people;
pub mod routes;
pub mod schools;
pub mod sender;
pub mod static_files;
pub mod timeline;
pub mod young;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware;
use axum::response::IntoResponse;
use sqlx::SqlitePool;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::CorsLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::activity::Activity;
use crate::auth::rate_limit::RateLimiter;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::AppError;
use crate::hub::Hub;
use crate::sender::{CodeSender, DevOutbox, LogSender, MailSender};

/// The largest request body the API collects (JSON); every such request of the contract is far
/// smaller. A file upload is streamed to disk and counted by its handler (`routes::files::upload`).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// `Strict-Transport-Security` when `--public-url` is https: a year, renewed by every answer.
pub const HSTS: &str = "max-age=31536000";

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub sender: Arc<dyn CodeSender>,
    /// E-mail to parents: young students' codes and the links that confirm them.
    pub mailer: Arc<dyn MailSender>,
    /// Present only when started with `--dev-outbox`.
    pub outbox: Option<Arc<DevOutbox>>,
    pub limiter: Arc<RateLimiter>,
    /// Live events to the people online.
    pub hub: Arc<Hub>,
    /// The days people used Parta, for the statistics.
    pub activity: Arc<Activity>,
    /// Held by every write that records numbered events, from its transaction's start until it has
    /// published them, so that they are published in the order of their numbers ([`event_log`]).
    pub event_order: Arc<tokio::sync::Mutex<()>>,
    /// Cancelled when the server shuts down, so long-lived WebSockets can say goodbye.
    pub shutdown: CancellationToken,
    /// The WebSocket tasks, which outlive their HTTP connection; shutdown waits for them.
    pub sockets: TaskTracker,
    /// One permit per picture being decoded (`Config::picture_decodes`): what bounds the memory and
    /// the cores uploads take, however many arrive at once.
    pub decodes: Arc<tokio::sync::Semaphore>,
    content_security_policy: HeaderValue,
}

impl AppState {
    /// Builds the state; reads `index.html` from the dist directory once, for the CSP hashes.
    pub fn new(db: SqlitePool, config: Config) -> Self {
        let content_security_policy = static_files::content_security_policy(&config);
        let decodes = Arc::new(tokio::sync::Semaphore::new(config.picture_decodes.max(1)));
        Self {
            db,
            outbox: config.dev_outbox.then(|| Arc::new(DevOutbox::default())),
            config: Arc::new(config),
            clock: Clock::default(),
            sender: Arc::new(LogSender),
            mailer: Arc::new(LogSender),
            limiter: Arc::new(RateLimiter::default()),
            hub: Arc::new(Hub::default()),
            activity: Arc::new(Activity::default()),
            event_order: Arc::new(tokio::sync::Mutex::new(())),
            shutdown: CancellationToken::new(),
            sockets: TaskTracker::new(),
            decodes,
            content_security_policy,
        }
    }

    /// Replaces the default [`LogSender`], e.g. with an SMS gateway.
    pub fn with_sender(mut self, sender: Arc<dyn CodeSender>) -> Self {
        self.sender = sender;
        self
    }

    /// Replaces the default [`LogSender`] for e-mail, e.g. with an SMTP relay.
    pub fn with_mailer(mut self, mailer: Arc<dyn MailSender>) -> Self {
        self.mailer = mailer;
        self
    }
}

/// The whole HTTP surface: `/api/v1/...` and the built app for every other path.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .nest("/v1", routes::v1())
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf::guard))
        // Answers carry personal data: no shared or browser cache may keep them. A downloaded file
        // says itself how it may be kept (privately).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));
    let api = match cors(&state.config) {
        Some(cors) => api.layer(cors),
        None => api,
    };

    let csp = state.content_security_policy.clone();
    let security_headers = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(self), microphone=(self), geolocation=()"),
        ),
    ];

    let mut router = Router::new()
        .nest("/api", api)
        .fallback(static_files::serve)
        .layer(CatchPanicLayer::custom(|_| AppError::Panic.into_response()));
    // Outside the panic catcher, so that even that answer carries them. A downloaded file brings its
    // own, stricter CSP.
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    // Served over https (usually behind a proxy that ends TLS, so the request itself looks plain):
    // the browser then never tries http again, where a network in between could read the session
    // cookie's first request or rewrite the app. Not for subdomains: the school's other sites are not
    // ours to decide for.
    if state.config.is_https() {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ));
    }
    router.layer(TraceLayer::new_for_http()).with_state(state)
}

/// Cross-origin access for the origins named with `--allow-origin` (an app served elsewhere).
fn cors(config: &Config) -> Option<CorsLayer> {
    if config.allowed_origins.is_empty() {
        return None;
    }
    let origins = config
        .allowed_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect::<Vec<_>>();
    Some(
        CorsLayer::new()
            .allow_origin(origins)
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, HeaderName::from_static(api::CSRF_HEADER)]),
    )
}

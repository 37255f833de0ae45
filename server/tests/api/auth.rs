use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::{Method, StatusCode};
use parta_server::sender::{CodeSender, SendError};
use serde_json::json;

use crate::support::{Reply, TestServer, request};

const PHONE: &str = "+79001234567";

fn wrong(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

#[tokio::test]
async fn a_code_is_sent_and_signs_in() {
    let server = TestServer::new().await;
    let sent = server.request_code("8 (900) 123-45-67").await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(
        sent.json(),
        json!({ "phone": PHONE, "code_length": 6, "expires_in_seconds": 600, "resend_after_seconds": 60 })
    );
    let code = server.last_code(PHONE);
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));

    let signed_in = server.submit_code("+7 900 123-45-67", &code).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text());
    let me: api::Me = signed_in.parse();
    assert_eq!(me.user.phone, PHONE);
    assert!(!me.user.profile_complete);
    assert!(me.schools.is_empty());

    let cookie = signed_in.session_cookie();
    let again: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert_eq!(again.user.id, me.user.id);
}

#[tokio::test]
async fn the_code_is_stored_only_as_a_hash() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let code = server.last_code(PHONE);
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT code_hash FROM login_codes").fetch_one(&server.state.db).await.unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!stored.windows(6).any(|w| w == code.as_bytes()));
}

#[tokio::test]
async fn an_unknown_number_gets_the_same_answer_as_a_known_one() {
    let server = TestServer::new().await;
    let known = "+79001112233";
    server.sign_in(known).await;
    server.state.clock.advance(61);

    let for_known = server.request_code(known).await;
    let for_unknown = server.request_code("+79004445566").await;
    assert_eq!(for_known.status, for_unknown.status);
    let mut known_body = for_known.json();
    known_body["phone"] = json!("+79004445566");
    assert_eq!(known_body, for_unknown.json());
    let names = |reply: &crate::support::Reply| {
        let mut names: Vec<String> = reply.headers.keys().map(|k| k.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&for_known), names(&for_unknown));
}

#[tokio::test]
async fn invalid_phone_forms_are_refused() {
    let server = TestServer::new().await;
    for phone in
        ["", "12345", "+1 202 555 0100", "+7 900 123-45-6", "8900123456a", "<script>", "+7 100 123-45-67"]
    {
        server.request_code(phone).await.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone");
        server
            .submit_code(phone, "123456")
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone");
    }
}

#[tokio::test]
async fn without_a_requested_code_nothing_matches() {
    let server = TestServer::new().await;
    server.submit_code(PHONE, "123456").await.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    server.state.clock.advance(600);
    let code = server.last_code(PHONE);
    server.submit_code(PHONE, &code).await.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_expired");
}

#[tokio::test]
async fn a_code_works_once() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let code = server.last_code(PHONE);
    assert_eq!(server.submit_code(PHONE, &code).await.status, StatusCode::OK);
    server.submit_code(PHONE, &code).await.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_expired");
}

#[tokio::test]
async fn a_new_code_retires_the_previous_one() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let first = server.last_code(PHONE);
    server.state.clock.advance(61);
    server.request_code(PHONE).await;
    let second = server.last_code(PHONE);
    if first != second {
        server
            .submit_code(PHONE, &first)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
    }
    assert_eq!(server.submit_code(PHONE, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn five_wrong_tries_kill_the_code() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let code = server.last_code(PHONE);
    for _ in 0..4 {
        server
            .submit_code(PHONE, wrong(&code))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
    }
    server
        .submit_code(PHONE, wrong(&code))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts");
    server
        .submit_code(PHONE, &code)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts");

    server.state.clock.advance(61);
    server.request_code(PHONE).await;
    let fresh = server.last_code(PHONE);
    assert_eq!(server.submit_code(PHONE, &fresh).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_code_must_wait_for_the_cooldown() {
    let server = TestServer::new().await;
    assert_eq!(server.request_code(PHONE).await.status, StatusCode::OK);
    server.state.clock.advance(20);
    let refused = server.request_code(PHONE).await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "resend_too_soon");
    assert_retry_after(&refused, 40);

    server.state.clock.advance(40);
    assert_eq!(server.request_code(PHONE).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_number_gets_at_most_five_codes_an_hour() {
    let server = TestServer::new().await;
    for _ in 0..5 {
        assert_eq!(server.request_code(PHONE).await.status, StatusCode::OK);
        server.state.clock.advance(61);
    }
    let refused = server.request_code(PHONE).await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry_after = 3600 - 5 * 61;
    assert_retry_after(&refused, retry_after);

    server.state.clock.advance(retry_after);
    assert_eq!(server.request_code(PHONE).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_address_gets_a_limited_number_of_codes() {
    let server = TestServer::with(|config| config.ip_code_limit = 3).await;
    for n in 0..3 {
        assert_eq!(server.request_code(&format!("+7900000100{n}")).await.status, StatusCode::OK);
    }
    let refused = server.request_code("+79000001009").await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_retry_after(&refused, 600);

    let mut other_address =
        request(Method::POST, "/api/v1/auth/code", None, Some(json!({ "phone": "+79000001009" })));
    other_address.extensions_mut().insert(ConnectInfo(SocketAddr::from(([198, 51, 100, 7], 4000))));
    assert_eq!(server.send(other_address).await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_address_gets_a_limited_number_of_sign_in_attempts() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let code = server.last_code(PHONE);
    // Different numbers, so that no single code dies of wrong tries first.
    for n in 0..50 {
        let reply = server.submit_code(&format!("+790000020{n:02}"), "123456").await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
    }
    server.submit_code(PHONE, &code).await.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax() {
    let server = TestServer::new().await;
    server.request_code(PHONE).await;
    let reply = server.submit_code(PHONE, &server.last_code(PHONE)).await;
    let cookie = reply.header("set-cookie");
    assert!(cookie.starts_with("parta_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.split("; ").any(|a| a == attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    let token = reply.session_cookie().trim_start_matches("parta_session=").to_string();
    assert_eq!(token.len(), 43, "32 bytes in base64url");
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_host_only() {
    let server = TestServer::with(|config| config.public_url = Some("https://parta.example".into())).await;
    server.request_code(PHONE).await;
    let code = server.last_code(PHONE);
    let mut sign_in =
        request(Method::POST, "/api/v1/auth/session", None, Some(json!({ "phone": PHONE, "code": code })));
    sign_in.headers_mut().insert("origin", "https://parta.example".parse().unwrap());
    let reply = server.send(sign_in).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let cookie = reply.header("set-cookie");
    assert!(cookie.starts_with("__Host-parta_session="), "{cookie}");
    assert!(cookie.split("; ").any(|a| a == "Secure"), "{cookie}");
    assert!(cookie.split("; ").any(|a| a == "Path=/"), "{cookie}");

    let session = reply.session_cookie();
    assert_eq!(server.get("/api/v1/me", Some(&session)).await.status, StatusCode::OK);
    let renamed = session.replacen("__Host-parta_session", "parta_session", 1);
    server.get("/api/v1/me", Some(&renamed)).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn over_https_every_answer_keeps_the_browser_on_https() {
    let server = TestServer::with(|config| config.public_url = Some("https://parta.example".into())).await;
    for path in ["/api/v1/meta", "/api/v1/me", "/api/v1/nothing-here", "/", "/chats/5"] {
        let reply = server.get(path, None).await;
        assert_eq!(reply.header("strict-transport-security"), parta_server::HSTS, "{path}");
    }
    let plain = TestServer::new().await;
    for path in ["/api/v1/meta", "/"] {
        assert!(plain.get(path, None).await.headers.get("strict-transport-security").is_none(), "{path}");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let server = TestServer::new().await;
    let cookie = server.sign_in(PHONE).await;
    let reply = server.delete("/api/v1/auth/session", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let cleared = reply.header("set-cookie");
    assert!(cleared.starts_with("parta_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let sessions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&server.state.db).await.unwrap();
    assert_eq!(sessions, 0);
    server.get("/api/v1/me", Some(&cookie)).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    assert_eq!(server.delete("/api/v1/auth/session", None).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_session_state_is_an_answer_signed_in_or_not() {
    let server = TestServer::new().await;
    // Nobody signed in, a forged cookie, an ended session: each a plain answer, never an error.
    for cookie in [None, Some("parta_session=forged")] {
        let reply = server.get("/api/v1/auth/session", cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{cookie:?}");
        assert_eq!(reply.json(), json!({ "signed_in": false }), "{cookie:?}");
    }

    let cookie = server.sign_up(PHONE, "Анна", "Петрова").await;
    let state: api::SessionState = server.get("/api/v1/auth/session", Some(&cookie)).await.parse();
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert_eq!(state, api::SessionState { signed_in: true, me: Some(me) });

    server.delete("/api/v1/auth/session", Some(&cookie)).await;
    let reply = server.get("/api/v1/auth/session", Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), json!({ "signed_in": false }));
}

#[tokio::test]
async fn an_expired_session_no_longer_counts() {
    let server = TestServer::new().await;
    let cookie = server.sign_in(PHONE).await;
    server.state.clock.advance(30 * 24 * 3600);
    server.get("/api/v1/me", Some(&cookie)).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

struct BrokenGateway;

impl CodeSender for BrokenGateway {
    fn send<'a>(
        &'a self,
        _phone: &'a str,
        _code: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async { Err(SendError("gateway 10.0.0.7 refused: secret-token".into())) })
    }
}

#[tokio::test]
async fn a_failed_delivery_is_an_internal_error_that_leaks_nothing() {
    let server = TestServer::new().await;
    let broken = TestServer::from_state(
        server.state.clone().with_sender(Arc::new(BrokenGateway)),
        tempfile::tempdir().unwrap(),
    );
    let reply = broken.request_code(PHONE).await;
    reply.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert!(!reply.text().contains("secret") && !reply.text().contains("10.0.0.7"), "{}", reply.text());
    // The undelivered code neither counts nor blocks the next request.
    assert_eq!(server.request_code(PHONE).await.status, StatusCode::OK);
}

/// The wait a refusal names, in its body and its `Retry-After` header. The test clock is the wall clock
/// moved forward, so a second may tick between the counted request and the refused one: one less is
/// as right.
fn assert_retry_after(refused: &Reply, seconds: i64) {
    let header: i64 = refused.header("retry-after").parse().expect("Retry-After is a number of seconds");
    assert!((seconds - 1..=seconds).contains(&header), "Retry-After {header}, expected {seconds}");
    if let Some(body) = refused.json()["retry_after_seconds"].as_i64() {
        assert_eq!(body, header, "the body and the header name the same wait");
    }
}

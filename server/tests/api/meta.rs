use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{TestServer, request};

#[tokio::test]
async fn meta_names_the_contract_and_capabilities() {
    let server = TestServer::new().await;
    let meta: api::Meta = server.get("/api/v1/meta", None).await.parse();
    assert_eq!(meta.contract_version, api::CONTRACT_VERSION);
    assert_eq!(meta.server, format!("parta-reference/{}", env!("CARGO_PKG_VERSION")));
    assert_eq!(
        meta.capabilities,
        [api::Capability::Events, api::Capability::Invites, api::Capability::DevOutbox]
    );

    let production = TestServer::with(|config| config.dev_outbox = false).await;
    let meta: api::Meta = production.get("/api/v1/meta", None).await.parse();
    assert_eq!(meta.capabilities, [api::Capability::Events, api::Capability::Invites]);
}

#[tokio::test]
async fn the_dev_outbox_hands_out_the_last_code_only_when_on() {
    let server = TestServer::new().await;
    server.request_code("8 900 123 45 67").await;
    let code: api::DevCode =
        server.get("/api/v1/dev/outbox?phone=%2B7%20900%20123-45-67", None).await.parse();
    assert_eq!(
        code,
        api::DevCode {
            phone: "+79001234567".into(),
            code: server.last_code("+79001234567"),
            email: None,
            confirmation_link: None,
        }
    );
    server
        .get("/api/v1/dev/outbox?phone=%2B79009999999", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let production = TestServer::with(|config| config.dev_outbox = false).await;
    assert_eq!(production.request_code("+79001234567").await.status, StatusCode::OK);
    production
        .get("/api/v1/dev/outbox?phone=%2B79001234567", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    production.get("/api/v1/dev/outbox", None).await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn unreadable_bodies_get_our_error_shape() {
    let server = TestServer::new().await;
    let send_raw = async |content_type: Option<&str>, body: &str| {
        let mut builder =
            Request::builder().method(Method::POST).uri("/api/v1/auth/code").header(api::CSRF_HEADER, "1");
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        server.send(builder.body(Body::from(body.to_string())).unwrap()).await
    };
    send_raw(Some("application/json"), "{not json")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    send_raw(Some("application/json"), r#"{"phone": 5}"#)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    send_raw(Some("application/json"), "{}").await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    send_raw(None, r#"{"phone": "+79001234567"}"#).await.assert_error(StatusCode::BAD_REQUEST, "bad_request");

    let huge = json!({ "phone": "x".repeat(70 * 1024) }).to_string();
    send_raw(Some("application/json"), &huge)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "bad_request");
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_json_errors() {
    let server = TestServer::new().await;
    for path in ["/api/v1/nothing-here", "/api/v2/meta", "/api/whatever", "/api", "/api/v1"] {
        server.get(path, None).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    server
        .send(request(Method::DELETE, "/api/v1/meta", None, None))
        .await
        .assert_error(StatusCode::METHOD_NOT_ALLOWED, "bad_request");
    server
        .send(request(Method::POST, "/api/v1/nothing-here", None, Some(json!({}))))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::new().await;
    for reply in [server.get("/api/v1/meta", None).await, server.get("/api/v1/me", None).await] {
        assert!(reply.header("content-security-policy").starts_with("default-src 'self'"));
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.header("referrer-policy"), "no-referrer");
        assert_eq!(reply.header("x-frame-options"), "DENY");
        assert_eq!(reply.header("permissions-policy"), "camera=(self), microphone=(self), geolocation=()");
        assert_eq!(reply.header("cache-control"), "no-store");
    }
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let server = TestServer::new().await;
    let reply = server.get("/api/v1/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.text(), parta_server::openapi::json());
    assert_eq!(reply.json()["openapi"], "3.1.0");
}

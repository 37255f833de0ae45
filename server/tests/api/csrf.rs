use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{TestServer, request};

fn code_request(origin: Option<&str>) -> Request<Body> {
    let mut code_request =
        request(Method::POST, "/api/v1/auth/code", None, Some(json!({ "phone": "+79001234567" })));
    if let Some(origin) = origin {
        code_request.headers_mut().insert(header::ORIGIN, origin.parse().unwrap());
    }
    code_request
}

#[tokio::test]
async fn a_state_changing_request_without_the_header_is_rejected() {
    let server = TestServer::new().await;
    let mut without = code_request(None);
    without.headers_mut().remove(api::CSRF_HEADER);
    server.send(without).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");

    let mut empty = code_request(None);
    empty.headers_mut().insert(api::CSRF_HEADER, "".parse().unwrap());
    server.send(empty).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");

    for method in [Method::PUT, Method::DELETE] {
        let mut without = request(method, "/api/v1/auth/session", None, None);
        without.headers_mut().remove(api::CSRF_HEADER);
        server.send(without).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");
    }
}

#[tokio::test]
async fn a_foreign_origin_is_rejected_and_the_own_origin_accepted() {
    let server = TestServer::new().await;
    server
        .send(code_request(Some("http://evil.example")))
        .await
        .assert_error(StatusCode::FORBIDDEN, "csrf_rejected");
    server.send(code_request(Some("null"))).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");
    // The test requests carry `Host: localhost:8080`.
    assert_eq!(server.send(code_request(Some("http://localhost:8080"))).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_public_url_and_allowed_origins_are_the_trusted_ones() {
    let server = TestServer::with(|config| {
        config.public_url = Some("https://parta.example".into());
        config.allowed_origins = vec!["http://localhost:3000".into()];
    })
    .await;
    server
        .send(code_request(Some("http://localhost:8080")))
        .await
        .assert_error(StatusCode::FORBIDDEN, "csrf_rejected");
    assert_eq!(server.send(code_request(Some("https://parta.example"))).await.status, StatusCode::OK);
    server.state.clock.advance(61);
    assert_eq!(server.send(code_request(Some("http://localhost:3000"))).await.status, StatusCode::OK);
}

#[tokio::test]
async fn allowed_origins_get_cors_with_credentials() {
    let server =
        TestServer::with(|config| config.allowed_origins = vec!["http://localhost:3000".into()]).await;
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/auth/code")
        .header(header::ORIGIN, "http://localhost:3000")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,x-parta-csrf")
        .body(Body::empty())
        .unwrap();
    let reply = server.send(preflight).await;
    assert_eq!(reply.header("access-control-allow-origin"), "http://localhost:3000");
    assert_eq!(reply.header("access-control-allow-credentials"), "true");
    assert!(reply.header("access-control-allow-headers").contains("x-parta-csrf"));

    let foreign = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/auth/code")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    assert_eq!(server.send(foreign).await.header("access-control-allow-origin"), "");
}

#[tokio::test]
async fn reads_need_no_header() {
    let server = TestServer::new().await;
    let reply = server.get("/api/v1/meta", None).await;
    assert_eq!(reply.status, StatusCode::OK);
}

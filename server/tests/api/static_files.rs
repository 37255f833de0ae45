use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::{Reply, TestServer};

const INLINE_SCRIPT: &str =
    "import init, * as bindings from '/parta-0123456789abcdef.js';\ninit('/parta-0123456789abcdef_bg.wasm');";
const JS: &str = "export default function init() {}";

fn write(dist: &Path, name: &str, contents: &[u8]) {
    std::fs::write(dist.join(name), contents).unwrap();
}

/// A server whose dist directory looks like Trunk's output, with precompressed siblings.
async fn built_app() -> TestServer {
    let dist = tempfile::tempdir().unwrap().keep();
    let index = format!(
        "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/parta-0123456789abcdef.js\">\
         <script type=\"module\">{INLINE_SCRIPT}</script></head><body></body></html>"
    );
    write(&dist, "index.html", index.as_bytes());
    write(&dist, "parta-0123456789abcdef.js", JS.as_bytes());
    write(&dist, "parta-0123456789abcdef.js.br", b"brotli bytes");
    write(&dist, "parta-0123456789abcdef.js.gz", b"gzip bytes");
    write(&dist, "parta-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0");
    write(&dist, "config.json", br#"{"api_base_url":""}"#);
    write(&dist, "sw.js", b"self.addEventListener('fetch', () => {});");
    TestServer::with(move |config| config.dist = dist).await
}

async fn get(server: &TestServer, path: &str, accept_encoding: Option<&str>) -> Reply {
    let mut request = Request::builder().uri(path);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    server.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html() {
    let server = built_app().await;
    for path in ["/", "/join/abc123", "/chats/5", "/signin"] {
        let reply = get(&server, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.header("content-type").starts_with("text/html"), "{path}");
        assert!(reply.text().contains(INLINE_SCRIPT), "{path}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
    }
}

#[tokio::test]
async fn a_missing_file_is_a_404() {
    let server = built_app().await;
    for path in ["/missing.js", "/join/abc.png"] {
        assert_eq!(get(&server, path, None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_revalidated() {
    let server = built_app().await;
    let js = get(&server, "/parta-0123456789abcdef.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.text(), JS);
    assert_eq!(js.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(js.header("content-type").contains("javascript"));

    let wasm = get(&server, "/parta-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(wasm.header("content-type"), "application/wasm");
    assert_eq!(wasm.header("cache-control"), "public, max-age=31536000, immutable");

    for path in ["/index.html", "/config.json"] {
        let reply = get(&server, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
    }
}

#[tokio::test]
async fn the_service_worker_is_always_revalidated_and_allowed_to_run() {
    let server = built_app().await;
    let worker = get(&server, "/sw.js", None).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.header("content-type").contains("javascript"));
    // A new build's worker must be found at once, never an old one from a cache.
    assert_eq!(worker.header("cache-control"), "no-cache");
    let csp = worker.header("content-security-policy");
    assert!(csp.contains("worker-src 'self'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[tokio::test]
async fn precompressed_siblings_are_served_when_accepted() {
    let server = built_app().await;
    let path = "/parta-0123456789abcdef.js";
    let br = get(&server, path, Some("gzip, deflate, br")).await;
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(br.body, "brotli bytes");
    assert!(br.header("content-type").contains("javascript"));
    assert_eq!(br.header("vary"), "accept-encoding");

    let gzip = get(&server, path, Some("gzip")).await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    assert_eq!(gzip.body, "gzip bytes");

    let plain = get(&server, path, Some("identity")).await;
    assert_eq!(plain.header("content-encoding"), "");
    assert_eq!(plain.text(), JS);
}

#[tokio::test]
async fn the_csp_lets_exactly_the_inline_start_script_run() {
    let server = built_app().await;
    let reply = get(&server, "/", None).await;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(INLINE_SCRIPT.as_bytes()));
    let csp = reply.header("content-security-policy");
    assert!(csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}';")), "{csp}");
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "style-src 'self'"] {
        assert!(csp.contains(directive), "{directive} missing: {csp}");
    }
    assert_eq!(reply.header("x-frame-options"), "DENY");
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    assert_eq!(get(&server, "/missing.js", None).await.header("referrer-policy"), "no-referrer");
}

#[tokio::test]
async fn the_qr_decoder_worker_may_run_its_wasm_and_nothing_from_elsewhere() {
    let server = built_app().await;
    let dist = &server.state.config.dist;
    // Trunk's worker files (see index.html): unhashed names the app starts the worker by.
    write(
        dist,
        "qr_worker_loader.js",
        br#"importScripts("./qr_worker.js");wasm_bindgen("./qr_worker_bg.wasm");"#,
    );
    write(dist, "qr_worker.js", b"let wasm_bindgen;");
    write(dist, "qr_worker_bg.wasm", b"\0asm\x01\0\0\0");
    for (path, content_type) in [
        ("/qr_worker_loader.js", "javascript"),
        ("/qr_worker.js", "javascript"),
        ("/qr_worker_bg.wasm", "application/wasm"),
    ] {
        let reply = get(&server, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.header("content-type").contains(content_type), "{path}");
        // Not content-hashed: revalidated, so a new build's worker is never mixed with an old app.
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
        // A worker runs under the policy of its own script's answer: it may load its glue
        // (`importScripts`), fetch and compile its wasm, and nothing from any other origin.
        let csp = reply.header("content-security-policy");
        for directive in [
            "default-src 'self';",
            "script-src 'self' 'wasm-unsafe-eval'",
            "connect-src 'self';",
            "worker-src 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {directive} missing: {csp}");
        }
        let worker_src = csp.split(';').map(str::trim).find(|d| d.starts_with("worker-src")).unwrap();
        assert_eq!(worker_src, "worker-src 'self'", "{path}: no blob: or other origins for workers");
    }
}

#[tokio::test]
async fn allowed_origins_may_be_connected_to() {
    let server = TestServer::with(|config| config.allowed_origins = vec!["https://app.example".into()]).await;
    let csp = server.get("/api/v1/meta", None).await.header("content-security-policy").to_string();
    assert!(csp.contains("connect-src 'self' https://app.example wss://app.example;"), "{csp}");
}

#[tokio::test]
async fn without_a_built_app_the_api_still_answers() {
    let server = TestServer::new().await;
    assert_eq!(server.get("/api/v1/meta", None).await.status, StatusCode::OK);
    assert_eq!(get(&server, "/join/abc", None).await.status, StatusCode::NOT_FOUND);
}

//! The built web app: files from the dist directory, `index.html` for the app's own routes, and the
//! Content-Security-Policy that lets exactly its scripts run.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;
use crate::config::Config;

/// Serves a file of the dist directory (a precompressed `.br`/`.gz` sibling when the browser accepts
/// it). A missing path whose last segment has no extension is a route of the app and gets
/// `index.html`; a missing file (one with an extension) is a 404.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let dist = &state.config.dist;
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip();
    let mut response = if is_app_route(&path) {
        let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
        files.fallback(index).oneshot(request).await.into_response()
    } else {
        files.oneshot(request).await.into_response()
    };

    let cache = if response.status() == StatusCode::OK && is_content_hashed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        // Everything else must be revalidated, so a new build reaches people at once.
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

fn is_app_route(path: &str) -> bool {
    !last_segment(path).contains('.')
}

/// Trunk names built files `<name>-<hash>[_bg].<ext>`, the hash a 64-bit number in hex written without
/// leading zeros (`{:x}`): 16 digits mostly, 15 one time in 16, fewer ever more rarely. Such a name
/// never changes content. Fewer than 12 digits (one build in 65,536) is taken as an ordinary name and
/// merely revalidated, so that `app-beta.js` is not cached forever.
fn is_content_hashed(path: &str) -> bool {
    let name = last_segment(path);
    let Some((stem, _extension)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// The Content-Security-Policy of every response. Trunk's `index.html` starts the wasm with an inline
/// module script, and draws its first screen with inline scripts and an inline stylesheet; their
/// sha256 (computed once, at startup) is what allows exactly them to run and apply. The scanner's QR
/// decoder is a worker of this origin (`worker-src 'self'`), and a worker runs under the policy of its
/// own script's response, i.e. this one: `script-src 'self'` lets it load its glue and
/// `'wasm-unsafe-eval'` compile its wasm.
pub fn content_security_policy(config: &Config) -> HeaderValue {
    let index = config.dist.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap_or_else(|error| {
        tracing::warn!(path = %index.display(), %error, "no index.html: serving the API only");
        String::new()
    });
    let hashes = |element| {
        inline_elements(&html, element)
            .map(|body| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(body.as_bytes()))))
            .collect::<String>()
    };
    let (script_hashes, style_hashes) = (hashes("script"), hashes("style"));
    let mut connect = String::from("'self'");
    for origin in config.public_url.iter().chain(&config.allowed_origins) {
        let websocket = origin.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
        connect.push_str(&format!(" {origin} {websocket}"));
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; style-src 'self'{style_hashes}; \
         img-src 'self' data: blob:; font-src 'self'; connect-src {connect}; media-src 'self' blob:; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; \
         manifest-src 'self'; worker-src 'self'"
    );
    HeaderValue::from_str(&policy).expect("origins were validated at startup")
}

/// The contents of the `<script>` (or `<style>`, …) elements that have no `src`, exactly as written.
fn inline_elements<'a>(html: &'a str, element: &str) -> impl Iterator<Item = &'a str> {
    let (open, close) = (format!("<{element}"), format!("</{element}"));
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = find_ignore_case(rest, &open)?;
            let after_name = &rest[start + open.len()..];
            let tag_end = after_name.find('>')?;
            let attributes = &after_name[..tag_end];
            let body = &after_name[tag_end + 1..];
            let body_end = find_ignore_case(body, &close)?;
            rest = &body[body_end..];
            // `<scripts…` is no script; a `src` is no inline script.
            let whole_name =
                attributes.is_empty() || attributes.starts_with(|c: char| c.is_ascii_whitespace());
            if whole_name && !attributes.to_ascii_lowercase().contains("src=") {
                return Some(&body[..body_end]);
            }
        }
    })
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed("/parta-1a2b3c4d5e6f7a8b.js"));
        assert!(is_content_hashed("/parta-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("/base-1a2b3c4d5e6f7a8b.css"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/config.json"));
        assert!(!is_content_hashed("/icon-192.png"));
        // Trunk drops leading zeros of the hash: a real name from a build.
        assert!(is_content_hashed("/parta-bfe7e05d0a1716b.js"));
        assert!(is_content_hashed("/parta-bfe7e05d0a1716b_bg.wasm"));
        assert!(!is_content_hashed("/parta-1a2b3c4d5e6.js"));
        assert!(!is_content_hashed("/app-beta.js"));
        assert!(!is_content_hashed("/parta-1a2b3c4d5e6f7a8b9.js"));
    }

    #[test]
    fn app_routes() {
        assert!(is_app_route("/join/abc123"));
        assert!(is_app_route("/"));
        assert!(!is_app_route("/missing.js"));
    }

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<head><script src="/a.js"></script><SCRIPT type="module">import init from '/p.js';
init();</SCRIPT><script>1</script></head>"#;
        assert_eq!(
            inline_elements(html, "script").collect::<Vec<_>>(),
            ["import init from '/p.js';\ninit();", "1"]
        );
    }

    #[test]
    fn finds_inline_styles() {
        let html = r#"<head><style>:root{--a:1}</style><link rel="stylesheet" href="/b.css"><style media="x">p{}</style>
<script>s</script></head>"#;
        assert_eq!(inline_elements(html, "style").collect::<Vec<_>>(), [":root{--a:1}", "p{}"]);
    }
}

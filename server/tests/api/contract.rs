//! What the document states the server enforces, at the edges where the two could part.

use api::SchoolInfo;
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, demo, field_problems};

#[tokio::test]
async fn a_schools_address_is_measured_as_it_is_stored() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let name = parta_server::demo::SCHOOL_NAME;
    // A bare domain gains `https://`: 295 characters as typed, 303 as it would be stored.
    let bare = format!("{}.ru", "школа".repeat(58) + "ab");
    assert_eq!(bare.chars().count(), 295);
    let reply =
        server.put(&demo.school_path("/info"), json!({ "name": name, "website": bare }), Some(&admin)).await;
    assert_eq!(field_problems(&reply), [("website".into(), "too_long".into())]);
    let fits = format!("{}.ru", "школа".repeat(57) + "abcd");
    assert_eq!(format!("https://{fits}").chars().count(), api::SCHOOL_FIELD_MAX_CHARS);
    let reply =
        server.put(&demo.school_path("/info"), json!({ "name": name, "website": fits }), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.parse::<SchoolInfo>().website.unwrap().chars().count(), api::SCHOOL_FIELD_MAX_CHARS);
}

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestServer;

#[tokio::test]
async fn me_needs_a_session() {
    let server = TestServer::new().await;
    server.get("/api/v1/me", None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    server
        .get("/api/v1/me", Some("parta_session=forged"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let profile = json!({ "first_name": "Анна", "last_name": "Петрова", "birth_date": "2000-01-01" });
    server
        .put("/api/v1/me/profile", profile, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn the_profile_is_filled_in_once_valid() {
    let server = TestServer::new().await;
    let cookie = server.sign_in("+79001234567").await;
    let profile =
        json!({ "first_name": "  Анна-Мария ", "last_name": "Тер-Петросян", "birth_date": "2012-02-29" });
    let reply = server.put("/api/v1/me/profile", profile, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let me: api::Me = reply.parse();
    assert_eq!(me.user.first_name.as_deref(), Some("Анна-Мария"));
    assert_eq!(me.user.last_name.as_deref(), Some("Тер-Петросян"));
    assert_eq!(me.user.birth_date.as_deref(), Some("2012-02-29"));
    assert!(me.user.profile_complete);

    let again: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert_eq!(again, me);
}

#[tokio::test]
async fn every_wrong_field_is_named() {
    let server = TestServer::new().await;
    let cookie = server.sign_in("+79001234567").await;
    let tomorrow = (server.state.clock.now() + time::Duration::days(1)).date();
    let tomorrow = format!("{:04}-{:02}-{:02}", tomorrow.year(), u8::from(tomorrow.month()), tomorrow.day());
    let cases = [
        (
            json!({ "first_name": " ", "last_name": "<b>", "birth_date": tomorrow }),
            json!([
                ["first_name", "required"],
                ["last_name", "invalid_characters"],
                ["birth_date", "date_in_future"]
            ]),
        ),
        (
            json!({ "first_name": "я".repeat(51), "last_name": "Иванова", "birth_date": "2015-02-29" }),
            json!([["first_name", "too_long"], ["birth_date", "invalid_date"]]),
        ),
        (
            json!({ "first_name": "Анна", "last_name": "", "birth_date": "1899-12-31" }),
            json!([["last_name", "required"], ["birth_date", "date_too_old"]]),
        ),
        (
            json!({ "first_name": "Анна", "last_name": "Иванова", "birth_date": "" }),
            json!([["birth_date", "required"]]),
        ),
    ];
    for (profile, expected) in cases {
        let reply = server.put("/api/v1/me/profile", profile, Some(&cookie)).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
        let fields: Vec<(String, String)> = reply.json()["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["field"].as_str().unwrap().into(), f["problem"].as_str().unwrap().into()))
            .collect();
        assert_eq!(serde_json::to_value(fields).unwrap(), expected);
    }
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert!(!me.user.profile_complete, "nothing was saved");
}

#[tokio::test]
async fn schools_come_with_their_roles_sorted_by_name() {
    let server = TestServer::new().await;
    let now = server.state.clock.unix();
    let db = &server.state.db;
    let lyceum = parta_server::schools::create(db, "Лицей № 2", None, "+79001234567", now).await.unwrap();
    parta_server::schools::create(db, "Гимназия № 1", Some("Гимназия"), "+79001234567", now).await.unwrap();
    for role in ["teacher", "parent"] {
        sqlx::query("INSERT INTO memberships (school_id, user_id, role, created_at) VALUES (?, ?, ?, 0)")
            .bind(lyceum.school_id)
            .bind(lyceum.admin_id)
            .bind(role)
            .execute(db)
            .await
            .unwrap();
    }
    let cookie = server.sign_in("+79001234567").await;
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    let schools: Vec<(&str, Option<&str>, Vec<api::Role>)> = me
        .schools
        .iter()
        .map(|m| (m.school.name.as_str(), m.school.short_name.as_deref(), m.roles.clone()))
        .collect();
    assert_eq!(
        schools,
        [
            ("Гимназия № 1", Some("Гимназия"), vec![api::Role::Admin]),
            ("Лицей № 2", None, vec![api::Role::Admin, api::Role::Teacher, api::Role::Parent]),
        ]
    );
}

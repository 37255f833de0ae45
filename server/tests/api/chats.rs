use std::collections::HashMap;

use axum::http::StatusCode;

use crate::support::TestServer;

/// A server with the demo school, and the ids of its chats by title.
async fn demo() -> (TestServer, HashMap<String, i64>) {
    let server = TestServer::new().await;
    assert!(parta_server::demo::seed(&server.state.db, server.state.clock.unix()).await.unwrap());
    let chats: Vec<(String, i64)> =
        sqlx::query_as("SELECT title, id FROM chats").fetch_all(&server.state.db).await.unwrap();
    (server, chats.into_iter().collect())
}

const ADMIN: &str = "+7 900 000-00-01";
const PARENT: &str = "+7 900 000-02-01";

#[tokio::test]
async fn a_member_sees_their_chats_most_recent_first() {
    let (server, _) = demo().await;
    let cookie = server.sign_in(ADMIN).await;
    let chats: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&cookie)).await.parse();
    let titles: Vec<&str> = chats.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Учительская", "Сотрудники", "Общий канал"]);
    assert_eq!(chats[0].kind, api::ChatKind::Staff);
    assert_eq!(chats[1].kind, api::ChatKind::Channel);
    let times: Vec<&str> = chats.iter().map(|c| c.last_activity_at.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert!(time::OffsetDateTime::parse(times[0], &time::format_description::well_known::Rfc3339).is_ok());
    let preview = chats[0].last_message.as_ref().unwrap();
    assert_eq!(preview.author_name.as_deref(), Some("Марина Белова"));
    assert_eq!(preview.text, "Игорь Николаевич, спасибо!");

    let parent = server.sign_in(PARENT).await;
    let chats: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&parent)).await.parse();
    let titles: Vec<&str> = chats.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Родители 5А", "Общий канал"]);
    assert_eq!(chats[0].last_message.as_ref().unwrap().author_name.as_deref(), Some("Алексей Смирнов"));
}

#[tokio::test]
async fn long_messages_are_shortened_in_the_list() {
    let (server, chats) = demo().await;
    let parent = server.sign_in(PARENT).await;
    let long = "Очень длинное объявление. ".repeat(10);
    sqlx::query(
        "INSERT INTO messages (chat_id, author_id, kind, body, created_at) VALUES (?, NULL, 'system', ?, ?)",
    )
    .bind(chats["Родители 5А"])
    .bind(&long)
    .bind(server.state.clock.unix())
    .execute(&server.state.db)
    .await
    .unwrap();
    let list: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&parent)).await.parse();
    let preview = list[0].last_message.as_ref().unwrap();
    assert_eq!(preview.author_name, None, "system events have no author");
    assert_eq!(preview.system, None, "a line of text only, as before system lines were data");
    assert_eq!(preview.text.chars().count(), 100);
    assert!(preview.text.ends_with('…'));
}

#[tokio::test]
async fn a_chat_shows_its_school_members_and_posting_right() {
    let (server, chats) = demo().await;
    let parent = server.sign_in(PARENT).await;
    let chat: api::Chat =
        server.get(&format!("/api/v1/chats/{}", chats["Родители 5А"]), Some(&parent)).await.parse();
    assert_eq!(chat.school_name, parta_server::demo::SCHOOL_NAME);
    assert_eq!(chat.kind, api::ChatKind::Parents);
    assert_eq!(chat.member_count, 4);
    assert!(chat.can_post);

    let channel: api::Chat =
        server.get(&format!("/api/v1/chats/{}", chats["Общий канал"]), Some(&parent)).await.parse();
    assert_eq!(channel.kind, api::ChatKind::Channel);
    assert!(!channel.can_post, "parents read the school channel");
    assert_eq!(channel.member_count, 12);
}

#[tokio::test]
async fn other_peoples_and_missing_chats_look_the_same() {
    let (server, chats) = demo().await;
    let parent = server.sign_in(PARENT).await;
    let staff_room = server.get(&format!("/api/v1/chats/{}", chats["Учительская"]), Some(&parent)).await;
    staff_room.assert_error(StatusCode::NOT_FOUND, "not_found");
    let missing = server.get("/api/v1/chats/999999", Some(&parent)).await;
    assert_eq!(staff_room.body, missing.body);
    server
        .get(&format!("/api/v1/chats/{}/messages", chats["Учительская"]), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let now = server.state.clock.unix();
    parta_server::schools::create(&server.state.db, "Гимназия № 1", None, "+79005550000", now).await.unwrap();
    let other_admin = server.sign_up("+79005550000", "Пётр", "Васильев").await;
    let own: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&other_admin)).await.parse();
    assert_eq!(own.len(), 3, "its two channels and «Учительская»");
    assert!(own.iter().all(|c| !chats.values().any(|&id| id == c.id)));
    for id in chats.values() {
        server
            .get(&format!("/api/v1/chats/{id}"), Some(&other_admin))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
}

#[tokio::test]
async fn chats_need_a_complete_profile_and_a_session() {
    let (server, chats) = demo().await;
    server.get("/api/v1/chats", None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let newcomer = server.sign_in("+79001234567").await;
    server
        .get("/api/v1/chats", Some(&newcomer))
        .await
        .assert_error(StatusCode::FORBIDDEN, "profile_incomplete");
    let path = format!("/api/v1/chats/{}", chats["Общий канал"]);
    server.get(&path, Some(&newcomer)).await.assert_error(StatusCode::FORBIDDEN, "profile_incomplete");
    server
        .get(&format!("{path}/messages"), Some(&newcomer))
        .await
        .assert_error(StatusCode::FORBIDDEN, "profile_incomplete");
}

#[tokio::test]
async fn messages_come_in_pages_oldest_first() {
    let (server, chats) = demo().await;
    let parent = server.sign_in(PARENT).await;
    let path = format!("/api/v1/chats/{}/messages", chats["Родители 5А"]);

    let all: api::MessagePage = server.get(&path, Some(&parent)).await.parse();
    assert_eq!(all.messages.len(), 5);
    assert!(!all.has_more);
    assert!(all.messages.windows(2).all(|w| w[0].id < w[1].id && w[0].created_at <= w[1].created_at));
    let joined = &all.messages[0];
    assert_eq!(joined.kind, api::MessageKind::System);
    assert_eq!(joined.author, None);
    assert_eq!(joined.text, "Наталья Волкова — новый участник чата");
    assert!(
        matches!(&joined.system, Some(api::SystemEvent::MemberJoined { user_id: Some(_), name }) if name == "Наталья Волкова"),
        "{:?}",
        joined.system
    );
    let author = all.messages[1].author.as_ref().unwrap();
    assert_eq!(author.name, "Елена Кузнецова");

    let newest: api::MessagePage = server.get(&format!("{path}?limit=3"), Some(&parent)).await.parse();
    assert_eq!(newest.messages, all.messages[2..]);
    assert!(newest.has_more);
    let before = newest.messages[0].id;
    let older: api::MessagePage =
        server.get(&format!("{path}?limit=3&before={before}"), Some(&parent)).await.parse();
    assert_eq!(older.messages, all.messages[..2]);
    assert!(!older.has_more);

    let exact: api::MessagePage =
        server.get(&format!("{path}?limit=2&before={before}"), Some(&parent)).await.parse();
    assert_eq!(exact.messages, all.messages[..2]);
    assert!(!exact.has_more);
}

#[tokio::test]
async fn a_bad_page_query_is_a_bad_request() {
    let (server, chats) = demo().await;
    let parent = server.sign_in(PARENT).await;
    let path = format!("/api/v1/chats/{}/messages", chats["Родители 5А"]);
    for query in ["limit=0", "limit=101", "limit=abc", "before=x", "limit=-1"] {
        server
            .get(&format!("{path}?{query}"), Some(&parent))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    }
    server.get("/api/v1/chats/abc", Some(&parent)).await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
}

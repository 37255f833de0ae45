use api::{Chat, ServerEvent};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, demo};

const PARENTS: &str = "Родители 5А";

/// How many `chat_updated` events about the chat were recorded.
async fn chat_updates(demo: &Demo) -> usize {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM events WHERE chat_id = ? ORDER BY id")
            .bind(demo.chat(PARENTS))
            .fetch_all(&demo.server.state.db)
            .await
            .unwrap();
    payloads
        .iter()
        .filter(|p| matches!(serde_json::from_str(p).unwrap(), ServerEvent::ChatUpdated { .. }))
        .count()
}

#[tokio::test]
async fn the_class_teacher_pins_a_message_every_member_sees_and_a_parent_cannot() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let notice = demo.post_message(&teacher, PARENTS, "Собрание в среду в 18:00, кабинет 214").await;
    let pin = demo.chat_path(PARENTS, "/pin");

    let before = chat_updates(&demo).await;
    let chat: Chat = server.put(&pin, json!({ "message_id": notice.id }), Some(&teacher)).await.parse();
    let pinned = chat.pinned.expect("pinned");
    assert_eq!((pinned.id, pinned.text.as_str()), (notice.id, "Собрание в среду в 18:00, кабинет 214"));
    assert!(chat.can_pin);
    assert_eq!(chat_updates(&demo).await, before + 1, "members hear chat_updated");
    // The same again changes nothing and says nothing.
    assert_eq!(
        server.put(&pin, json!({ "message_id": notice.id }), Some(&teacher)).await.status,
        StatusCode::OK
    );
    assert_eq!(chat_updates(&demo).await, before + 1);

    let seen: Chat = server.get(&demo.chat_path(PARENTS, ""), Some(&parent)).await.parse();
    assert_eq!(seen.pinned.map(|p| p.id), Some(notice.id));
    assert!(!seen.can_pin);
    server
        .put(&pin, json!({ "message_id": notice.id }), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    server.delete(&pin, Some(&parent)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");

    let unpinned: Chat = server.delete(&pin, Some(&teacher)).await.parse();
    assert_eq!(unpinned.pinned, None);
}

#[tokio::test]
async fn only_a_live_message_of_the_chat_is_pinned_and_deleting_it_unpins() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let pin = demo.chat_path(PARENTS, "/pin");
    for message_id in [0, 999_999] {
        let reply = server.put(&pin, json!({ "message_id": message_id }), Some(&teacher)).await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    }
    server
        .put(&pin, json!({ "message_id": "first" }), Some(&teacher))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");

    let notice = demo.post_message(&teacher, PARENTS, "Экскурсия переносится").await;
    let chat: Chat = server.put(&pin, json!({ "message_id": notice.id }), Some(&teacher)).await.parse();
    assert!(chat.pinned.is_some());
    let path = demo.chat_path(PARENTS, &format!("/messages/{}", notice.id));
    assert_eq!(server.delete(&path, Some(&teacher)).await.status, StatusCode::OK);
    let after: Chat = server.get(&demo.chat_path(PARENTS, ""), Some(&teacher)).await.parse();
    assert_eq!(after.pinned, None, "a deleted message is not shown pinned");
    let reply = server.put(&pin, json!({ "message_id": notice.id }), Some(&teacher)).await;
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
}

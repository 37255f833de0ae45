use api::{AckList, AckState, Message, Role, ServerEvent};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, client_id, demo};

const PARENTS: &str = "Родители 5А";
const GENERAL: &str = "Общий канал";

/// Sends an announcement asking for «Ознакомлен» to the chat called `title` (asserting `201`).
async fn announce(demo: &Demo, cookie: &str, title: &str, text: &str) -> Message {
    let body = json!({ "client_id": client_id(), "text": text, "ask_ack": true });
    let reply = demo.server.post(&demo.chat_path(title, "/messages"), body, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.parse()
}

fn path(demo: &Demo, title: &str, message: &Message, rest: &str) -> String {
    demo.chat_path(title, &format!("/messages/{}{rest}", message.id))
}

/// How many `message_updated` events about the chat were recorded.
async fn updates(demo: &Demo, title: &str) -> usize {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM events WHERE chat_id = ? ORDER BY id")
            .bind(demo.chat(title))
            .fetch_all(&demo.server.state.db)
            .await
            .unwrap();
    payloads
        .iter()
        .filter(|p| matches!(serde_json::from_str(p).unwrap(), ServerEvent::MessageUpdated { .. }))
        .count()
}

#[tokio::test]
async fn only_moderators_ask_for_acknowledgement() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let body = json!({ "client_id": client_id(), "text": "Прочтите все", "ask_ack": true });
    let reply = server.post(&demo.chat_path(PARENTS, "/messages"), body, Some(&parent)).await;
    reply.assert_error(StatusCode::FORBIDDEN, "forbidden");

    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let sent = announce(&demo, &teacher, PARENTS, "Собрание в среду в 18:00").await;
    assert_eq!(sent.ack, Some(AckState { user_ids: vec![], asked: 3 }));
    let plain = demo.post_message(&teacher, PARENTS, "Просто сообщение").await;
    assert_eq!(plain.ack, None);
    server
        .post(&path(&demo, PARENTS, &plain, "/ack"), json!({}), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(announce(&demo, &admin, GENERAL, "Линейка в 8:00").await.ack.unwrap().asked, 11);
}

#[tokio::test]
async fn members_acknowledge_once_and_the_author_sees_who_has_not() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let lebedeva = server.sign_in(demo::LEBEDEVA).await;
    let smirnov = server.sign_in(demo::SMIRNOV).await;
    let sent = announce(&demo, &teacher, PARENTS, "Собрание в среду в 18:00").await;
    let ack = path(&demo, PARENTS, &sent, "/ack");

    server.post(&ack, json!({}), Some(&teacher)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let before = updates(&demo, PARENTS).await;
    let reply = server.post(&ack, json!({}), Some(&smirnov)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let acked: Message = reply.parse();
    let smirnov_id = demo.post_message(&smirnov, PARENTS, "Буду").await.author.unwrap().id;
    assert_eq!(acked.ack, Some(AckState { user_ids: vec![smirnov_id], asked: 3 }));
    assert_eq!(updates(&demo, PARENTS).await, before + 1);
    let again: Message = server.post(&ack, json!({}), Some(&smirnov)).await.parse();
    assert_eq!(again.ack, acked.ack);
    assert_eq!(updates(&demo, PARENTS).await, before + 1, "acknowledging again changes nothing");
    let lebedeva_acked: Message = server.post(&ack, json!({}), Some(&lebedeva)).await.parse();
    assert_eq!(lebedeva_acked.ack.as_ref().unwrap().user_ids.len(), 2);
    let seen = demo.timeline(&teacher, PARENTS).await.messages.into_iter().find(|m| m.id == sent.id).unwrap();
    assert_eq!(seen.ack, lebedeva_acked.ack);

    let list = path(&demo, PARENTS, &sent, "/acks");
    let reply = server.get(&list, Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let acks: AckList = reply.parse();
    let names = |entries: &[api::AckEntry]| entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&acks.acknowledged), ["Алексей Смирнов", "Светлана Лебедева"]);
    assert!(acks.acknowledged.iter().all(|e| e.at.is_some()));
    assert_eq!(names(&acks.pending), ["Наталья Волкова"]);
    assert_eq!(
        (acks.pending[0].roles.as_slice(), acks.pending[0].at.as_deref()),
        (&[Role::Parent][..], None)
    );

    server.get(&list, Some(&lebedeva)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let student = server.sign_in(demo::MOROZOVA).await;
    server.get(&list, Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server.post(&ack, json!({}), Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_deleted_announcement_asks_nothing() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let sent = announce(&demo, &teacher, PARENTS, "Собрание в среду").await;
    server.post(&path(&demo, PARENTS, &sent, "/ack"), json!({}), Some(&parent)).await;
    let deleted: Message = server.delete(&path(&demo, PARENTS, &sent, ""), Some(&teacher)).await.parse();
    assert!(deleted.deleted);
    assert_eq!((deleted.ack, deleted.poll), (None, None));
    let ack = path(&demo, PARENTS, &sent, "/ack");
    server.post(&ack, json!({}), Some(&parent)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let list = path(&demo, PARENTS, &sent, "/acks");
    server.get(&list, Some(&teacher)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

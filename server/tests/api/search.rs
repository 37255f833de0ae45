use api::SearchHit;
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, demo};

const PARENTS: &str = "Родители 5А";

async fn search(demo: &Demo, cookie: &str, query: &str) -> Vec<SearchHit> {
    let path = format!("/api/v1/search?{query}");
    let reply = demo.server.get(&path, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

#[tokio::test]
async fn members_find_messages_by_word_beginnings_in_any_case_and_others_do_not() {
    let demo = Demo::new().await;
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    let student = demo.server.sign_in(demo::MOROZOVA).await;
    let meeting = demo.post_message(&teacher, PARENTS, "Жирафы в зоопарке: собрание в среду в 18:00").await;
    demo.post_message(&teacher, PARENTS, "Экскурсия в музей").await;

    let hits = search(&demo, &parent, "q=%D0%B6%D0%B8%D1%80%D0%B0%D1%84").await; // «жираф»
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].message.id, hits[0].chat_title.as_str()), (meeting.id, PARENTS));
    let hits = search(
        &demo,
        &parent,
        "q=%D0%96%D0%98%D0%A0%D0%90%D0%A4%D0%AB%20%D0%B7%D0%BE%D0%BE%D0%BF%D0%B0%D1%80%D0%BA",
    )
    .await; // «ЖИРАФЫ зоопарк»
    assert_eq!(hits.len(), 1, "every word, in any case");
    assert!(search(&demo, &student, "q=%D0%B6%D0%B8%D1%80%D0%B0%D1%84").await.is_empty(), "not in the chat");

    let other = demo.chat("Общий канал");
    let in_general =
        search(&demo, &parent, &format!("q=%D0%B6%D0%B8%D1%80%D0%B0%D1%84&chat_id={other}")).await;
    assert!(in_general.is_empty(), "only the chat asked for");

    // Edited: found by its new words; deleted: not found.
    let path = demo.chat_path(PARENTS, &format!("/messages/{}", meeting.id));
    let edited = demo
        .server
        .patch(&path, json!({ "text": "Встреча родителей: носороги в четверг" }), Some(&teacher))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert!(search(&demo, &parent, "q=%D0%B6%D0%B8%D1%80%D0%B0%D1%84").await.is_empty());
    assert_eq!(search(&demo, &parent, "q=%D0%BD%D0%BE%D1%81%D0%BE%D1%80%D0%BE%D0%B3").await.len(), 1); // «носорог»
    assert_eq!(demo.server.delete(&path, Some(&teacher)).await.status, StatusCode::OK);
    assert!(search(&demo, &parent, "q=%D0%BD%D0%BE%D1%81%D0%BE%D1%80%D0%BE%D0%B3").await.is_empty());
}

#[tokio::test]
async fn a_search_without_words_or_too_long_is_refused_and_a_foreign_chat_is_not_found() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    for query in ["q=a", "q=%20%20", "q=%22%2A%28%29", &format!("q={}", "я".repeat(101))] {
        server
            .get(&format!("/api/v1/search?{query}"), Some(&parent))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation");
    }
    server.get("/api/v1/search", Some(&parent)).await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    server
        .get("/api/v1/search?q=abc&chat_id=x", Some(&parent))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    server
        .get("/api/v1/search?q=abc&chat_id=999999", Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server.get("/api/v1/search?q=abc", None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

/// System lines are notices about the chat, worded by each reader's app in their language: no wording
/// of them is what people search for, so none is found.
#[tokio::test]
async fn system_lines_are_never_found() {
    let demo = Demo::new().await;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    let timeline = demo.timeline(&parent, PARENTS).await;
    assert!(timeline.messages.iter().any(|m| m.text == "Наталья Волкова — новый участник чата"));
    assert!(search(&demo, &parent, "q=%D1%83%D1%87%D0%B0%D1%81%D1%82%D0%BD%D0%B8%D0%BA").await.is_empty()); // «участник»
    assert!(search(&demo, &parent, "q=joined").await.is_empty());
}

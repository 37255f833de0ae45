use api::{Chat, ChatSummary, Message, MessagePage, Reaction};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, client_id, demo, field_problems, invite_body};

const PARENTS: &str = "Родители 5А";
const GENERAL: &str = "Общий канал";

/// The person's row of the chat called `title` in their chat list.
async fn summary(demo: &Demo, cookie: &str, title: &str) -> ChatSummary {
    let list: Vec<ChatSummary> = demo.server.get("/api/v1/chats", Some(cookie)).await.parse();
    list.into_iter().find(|c| c.title == title).unwrap()
}

async fn chat(demo: &Demo, cookie: &str, title: &str) -> Chat {
    demo.server.get(&demo.chat_path(title, ""), Some(cookie)).await.parse()
}

/// A second school with its administrator signed up: someone from elsewhere.
async fn outsider(demo: &Demo) -> String {
    let now = demo.server.state.clock.unix();
    parta_server::schools::create(&demo.server.state.db, "Гимназия № 1", None, "+79005550000", now)
        .await
        .unwrap();
    demo.server.sign_up("+79005550000", "Пётр", "Васильев").await
}

#[tokio::test]
async fn members_post_and_everyone_else_is_refused() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let sent = demo.post_message(&parent, PARENTS, "  \n\nЗдравствуйте! Во сколько собрание?\n  \n").await;
    assert_eq!(sent.text, "Здравствуйте! Во сколько собрание?");
    assert_eq!(sent.author.as_ref().unwrap().name, "Светлана Лебедева");
    assert_eq!(sent.kind, api::MessageKind::Text);
    assert!(sent.client_id.is_some());
    assert_eq!((sent.edited_at.as_deref(), sent.deleted, sent.read_count), (None, false, 0));
    assert_eq!(demo.timeline(&parent, PARENTS).await.messages.last(), Some(&sent));

    let body = || json!({ "client_id": client_id(), "text": "Привет" });
    let path = demo.chat_path(PARENTS, "/messages");
    let student = server.sign_in(demo::MOROZOVA).await;
    server.post(&path, body(), Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let stranger = outsider(&demo).await;
    server.post(&path, body(), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .post("/api/v1/chats/999999/messages", body(), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server.post(&path, body(), None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    let channel = demo.chat_path(GENERAL, "/messages");
    server.post(&channel, body(), Some(&parent)).await.assert_error(StatusCode::FORBIDDEN, "cannot_post");
    let admin = server.sign_in(demo::ADMIN).await;
    demo.post_message(&admin, GENERAL, "Завтра линейка в 8:00").await;
}

#[tokio::test]
async fn a_message_must_be_well_formed() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let path = demo.chat_path(PARENTS, "/messages");
    let post = async |body| server.post(&path, body, Some(&parent)).await;

    let other_chat_message = demo.timeline(&server.sign_in(demo::ADMIN).await, GENERAL).await.messages[0].id;
    let reply =
        post(json!({ "client_id": "bad id!", "text": " \n\t ", "reply_to": other_chat_message })).await;
    assert_eq!(
        field_problems(&reply),
        [
            ("client_id".into(), "invalid_characters".into()),
            ("text".into(), "required".into()),
            ("reply_to".into(), "not_allowed".into())
        ]
    );
    let too_long =
        post(json!({ "client_id": "x".repeat(65), "text": "я".repeat(api::MESSAGE_MAX_CHARS + 1) })).await;
    assert_eq!(
        field_problems(&too_long),
        [("client_id".into(), "too_long".into()), ("text".into(), "too_long".into())]
    );
    let longest = post(json!({ "client_id": client_id(), "text": "я".repeat(api::MESSAGE_MAX_CHARS) })).await;
    assert_eq!(longest.status, StatusCode::CREATED, "{}", longest.text());

    post(json!({ "text": "без client_id" })).await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    post(json!({ "client_id": client_id(), "text": 5 }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(demo.timeline(&parent, PARENTS).await.messages.len(), 6, "only the longest one was sent");
}

#[tokio::test]
async fn sending_again_with_the_same_client_id_returns_the_first_message() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let path = demo.chat_path(PARENTS, "/messages");
    let body = json!({ "client_id": "retry-0001", "text": "Будем на собрании" });

    let first = server.post(&path, body.clone(), Some(&parent)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = server.post(&path, body, Some(&parent)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.parse::<Message>(), first.parse::<Message>());

    let page = demo.timeline(&parent, PARENTS).await;
    assert_eq!(page.messages.iter().filter(|m| m.text == "Будем на собрании").count(), 1);
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE payload LIKE '{\"type\":\"message_created\"%'")
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    assert_eq!(created, 1, "announced once");

    // Client ids are the author's own: someone else's, or the same one in another chat, is a new message.
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let theirs =
        server.post(&path, json!({ "client_id": "retry-0001", "text": "Ждём" }), Some(&teacher)).await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    let elsewhere = demo.chat_path("5А", "/messages");
    let other_chat =
        server.post(&elsewhere, json!({ "client_id": "retry-0001", "text": "Ждём" }), Some(&teacher)).await;
    assert_eq!(other_chat.status, StatusCode::CREATED);
}

#[tokio::test]
async fn hostile_text_is_kept_as_written() {
    let demo = Demo::new().await;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    for text in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(document.cookie)>",
        "\"'><svg/onload=alert(1)>&amp;&lt;",
        "строка 1\n\n   строка 2 с  двумя  пробелами\t",
    ] {
        let sent = demo.post_message(&parent, PARENTS, text).await;
        assert_eq!(sent.text, text.trim());
        assert_eq!(demo.timeline(&parent, PARENTS).await.messages.last().unwrap().text, text.trim());
    }
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let preview = summary(&demo, &teacher, PARENTS).await.last_message.unwrap();
    assert_eq!(preview.text, "строка 1 строка 2 с двумя пробелами");
    demo.post_message(&parent, PARENTS, "<b>жирный</b>").await;
    assert_eq!(summary(&demo, &teacher, PARENTS).await.last_message.unwrap().text, "<b>жирный</b>");
}

#[tokio::test]
async fn authors_edit_their_own_messages_for_a_day() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let sent = demo.post_message(&parent, PARENTS, "Собрание в 18:00?").await;
    let path = demo.chat_path(PARENTS, &format!("/messages/{}", sent.id));

    let edited: Message =
        server.patch(&path, json!({ "text": " Собрание в 19:00? " }), Some(&parent)).await.parse();
    assert_eq!(edited.text, "Собрание в 19:00?");
    assert!(edited.edited_at.is_some());
    assert_eq!(
        (edited.id, &edited.created_at, &edited.client_id),
        (sent.id, &sent.created_at, &sent.client_id)
    );
    assert_eq!(demo.timeline(&teacher, PARENTS).await.messages.last(), Some(&edited));

    let text = || json!({ "text": "Чужая правка" });
    server.patch(&path, text(), Some(&teacher)).await.assert_error(StatusCode::FORBIDDEN, "not_your_message");
    let student = server.sign_in(demo::MOROZOVA).await;
    server.patch(&path, text(), Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let system = demo.timeline(&parent, PARENTS).await.messages[0].id;
    server
        .patch(&demo.chat_path(PARENTS, &format!("/messages/{system}")), text(), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "not_your_message");
    server
        .patch(&demo.chat_path("5А", &format!("/messages/{}", sent.id)), text(), Some(&teacher))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let problems = field_problems(&server.patch(&path, json!({ "text": "  " }), Some(&parent)).await);
    assert_eq!(problems, [("text".into(), "required".into())]);

    server.state.clock.advance(i64::from(api::EDIT_WINDOW_SECONDS) + 1);
    server
        .patch(&path, text(), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "edit_window_passed");

    let fresh = demo.post_message(&parent, PARENTS, "Удалю").await;
    let fresh_path = demo.chat_path(PARENTS, &format!("/messages/{}", fresh.id));
    assert_eq!(server.delete(&fresh_path, Some(&parent)).await.status, StatusCode::OK);
    server
        .patch(&fresh_path, text(), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "not_your_message");
}

#[tokio::test]
async fn authors_and_moderators_delete_messages() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let other_parent = server.sign_in("+79000000202").await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let admin = server.sign_in(demo::ADMIN).await;

    assert!(chat(&demo, &teacher, PARENTS).await.can_moderate, "a teacher in a parents' chat");
    assert!(!chat(&demo, &teacher, "Учительская").await.can_moderate, "a teacher among colleagues");
    assert!(chat(&demo, &admin, "Учительская").await.can_moderate, "the school's administrator");
    assert!(chat(&demo, &admin, GENERAL).await.can_moderate);
    assert!(!chat(&demo, &parent, PARENTS).await.can_moderate);

    let own = demo.post_message(&parent, PARENTS, "Ой, не туда").await;
    let reply_body = json!({ "client_id": client_id(), "text": "Что не туда?", "reply_to": own.id });
    let reply: Message =
        server.post(&demo.chat_path(PARENTS, "/messages"), reply_body, Some(&other_parent)).await.parse();
    assert_eq!(reply.reply_to.as_ref().unwrap().text, "Ой, не туда");
    let path = |m: &Message| demo.chat_path(PARENTS, &format!("/messages/{}", m.id));
    server.put(&format!("{}/reactions/%F0%9F%91%8D", path(&own)), json!({}), Some(&teacher)).await;

    server.delete(&path(&own), Some(&other_parent)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let deleted: Message = server.delete(&path(&own), Some(&parent)).await.parse();
    assert!(deleted.deleted);
    assert_eq!((deleted.text.as_str(), deleted.reactions.len()), ("", 0));
    let again = server.delete(&path(&own), Some(&parent)).await;
    assert_eq!(again.parse::<Message>(), deleted, "deleting twice changes nothing");

    let page = demo.timeline(&teacher, PARENTS).await;
    let quoted = page.messages.iter().find(|m| m.id == reply.id).unwrap().reply_to.clone().unwrap();
    assert_eq!((quoted.text.as_str(), quoted.deleted), ("", true));
    assert!(page.messages.iter().find(|m| m.id == own.id).unwrap().deleted);

    let moderated: Message = server.delete(&path(&reply), Some(&teacher)).await.parse();
    assert!(moderated.deleted);
    let teachers = demo.post_message(&teacher, PARENTS, "Собрание переносится").await;
    server.delete(&path(&teachers), Some(&parent)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let system = page.messages[0].id;
    server
        .delete(&demo.chat_path(PARENTS, &format!("/messages/{system}")), Some(&teacher))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let student = server.sign_in(demo::MOROZOVA).await;
    server.delete(&path(&teachers), Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let stranger = outsider(&demo).await;
    server.delete(&path(&teachers), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    // Deleted messages neither show in the chat list nor count as unread.
    let row = summary(&demo, &other_parent, PARENTS).await;
    assert_eq!((row.last_message.unwrap().text.as_str(), row.unread_count), ("Собрание переносится", 1));
    server.delete(&path(&teachers), Some(&teacher)).await;
    let row = summary(&demo, &other_parent, PARENTS).await;
    assert_eq!((row.last_message.unwrap().text.as_str(), row.unread_count), ("Анна поедет, подтверждаю.", 0));
}

#[tokio::test]
async fn members_react_and_readers_of_a_channel_too() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let student = server.sign_in(demo::MOROZOVA).await;
    let news = demo.post_message(&admin, GENERAL, "Завтра линейка").await;
    let path = |emoji: &str| demo.chat_path(GENERAL, &format!("/messages/{}/reactions/{emoji}", news.id));
    let heart = "%E2%9D%A4%EF%B8%8F";
    let thumbs = "%F0%9F%91%8D";
    let me = async |cookie: &str| -> i64 {
        server.get("/api/v1/me", Some(cookie)).await.json()["user"]["id"].as_i64().unwrap()
    };
    let (parent_id, student_id) = (me(&parent).await, me(&student).await);

    let reacted: Message = server.put(&path(heart), json!({}), Some(&student)).await.parse();
    assert_eq!(reacted.reactions, [Reaction { emoji: "❤️".into(), user_ids: vec![student_id] }]);
    server.put(&path(thumbs), json!({}), Some(&parent)).await;
    server.put(&path(heart), json!({}), Some(&parent)).await;
    let again: Message = server.put(&path(heart), json!({}), Some(&parent)).await.parse();
    assert_eq!(
        again.reactions,
        [
            Reaction { emoji: "👍".into(), user_ids: vec![parent_id] },
            Reaction { emoji: "❤️".into(), user_ids: vec![student_id, parent_id] },
        ],
        "in the order of REACTIONS, people in the order they chose"
    );
    let taken_back: Message = server.delete(&path(heart), Some(&student)).await.parse();
    assert_eq!(taken_back.reactions[1], Reaction { emoji: "❤️".into(), user_ids: vec![parent_id] });
    let nothing_to_take: Message = server.delete(&path(heart), Some(&student)).await.parse();
    assert_eq!(nothing_to_take, taken_back);
    assert_eq!(demo.timeline(&admin, GENERAL).await.messages.last(), Some(&taken_back));

    let problems = field_problems(&server.put(&path("%F0%9F%8D%95"), json!({}), Some(&parent)).await);
    assert_eq!(problems, [("emoji".into(), "not_allowed".into())]);
    field_problems(&server.put(&path("like"), json!({}), Some(&parent)).await);
    let stranger = outsider(&demo).await;
    server
        .put(&path(thumbs), json!({}), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let staff_only = demo.post_message(&admin, "Сотрудники", "Педсовет в четверг").await;
    server
        .put(
            &demo.chat_path("Сотрудники", &format!("/messages/{}/reactions/{thumbs}", staff_only.id)),
            json!({}),
            Some(&parent),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    server.delete(&demo.chat_path(GENERAL, &format!("/messages/{}", news.id)), Some(&admin)).await;
    server
        .put(&path(thumbs), json!({}), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn mentions_name_members_only_and_mark_the_chat_for_them() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let student = server.sign_in(demo::MOROZOVA).await;
    let me = async |cookie: &str| -> i64 {
        server.get("/api/v1/me", Some(cookie)).await.json()["user"]["id"].as_i64().unwrap()
    };
    let (teacher_id, parent_id, outsider_id) = (me(&teacher).await, me(&parent).await, me(&student).await);
    // Read everything first: only what comes next is unread.
    let latest = demo.timeline(&parent, PARENTS).await.messages.last().unwrap().id;
    server.post(&demo.chat_path(PARENTS, "/read"), json!({ "message_id": latest }), Some(&parent)).await;
    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_mentions, 0);

    let hostile = "@Лебедева <b>Анна</b> <img src=x onerror=alert(1)> принесите справку";
    let body = json!({
        "client_id": client_id(),
        "text": hostile,
        // The parent twice, the author, someone of another class, and nobody at all.
        "mentions": [parent_id, parent_id, teacher_id, outsider_id, 987_654],
    });
    let reply = server.post(&demo.chat_path(PARENTS, "/messages"), body, Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let sent: Message = reply.parse();
    assert_eq!(sent.text, hostile);
    assert_eq!(sent.mentions.iter().map(|m| m.user_id).collect::<Vec<_>>(), [parent_id]);
    assert!(!sent.mentions[0].name.is_empty());
    let seen = demo.timeline(&parent, PARENTS).await.messages.pop().unwrap();
    assert_eq!((seen.text.as_str(), seen.mentions), (hostile, sent.mentions.clone()));

    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_mentions, 1);
    assert_eq!(summary(&demo, &teacher, PARENTS).await.unread_mentions, 0, "the author is never mentioned");

    // Edited without the name, the message mentions nobody; an edit that says nothing of mentions
    // (an older client) leaves them; edited back, the parent is mentioned again.
    let path = demo.chat_path(PARENTS, &format!("/messages/{}", sent.id));
    let edited: Message = server
        .patch(&path, json!({ "text": "Принесите справку", "mentions": [] }), Some(&teacher))
        .await
        .parse();
    assert!(edited.mentions.is_empty());
    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_mentions, 0);
    let edited: Message =
        server.patch(&path, json!({ "text": "Принесите справку." }), Some(&teacher)).await.parse();
    assert!(edited.mentions.is_empty());
    let edited: Message = server
        .patch(&path, json!({ "text": hostile, "mentions": [parent_id, outsider_id] }), Some(&teacher))
        .await
        .parse();
    assert_eq!(edited.mentions, sent.mentions);
    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_mentions, 1);

    server.post(&demo.chat_path(PARENTS, "/read"), json!({ "message_id": sent.id }), Some(&parent)).await;
    assert_eq!(
        summary(&demo, &parent, PARENTS).await.unread_mentions,
        0,
        "read, the mention is no longer new"
    );

    // A deleted message mentions nobody.
    server.delete(&demo.chat_path(PARENTS, &format!("/messages/{}", sent.id)), Some(&teacher)).await;
    assert!(demo.timeline(&parent, PARENTS).await.messages.pop().unwrap().mentions.is_empty());
}

#[tokio::test]
async fn unread_counts_follow_read_positions() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;

    // The demo's members joined before its messages were written: others' text messages are unread.
    let before = chat(&demo, &parent, PARENTS).await;
    assert_eq!((before.last_read_id, before.unread_count), (None, 3));
    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_count, 3);

    let mine = demo.post_message(&parent, PARENTS, "Прочитала, спасибо").await;
    let after_posting = chat(&demo, &parent, PARENTS).await;
    assert_eq!((after_posting.last_read_id, after_posting.unread_count), (Some(mine.id), 0));

    let first = demo.post_message(&teacher, PARENTS, "Первое").await;
    let second = demo.post_message(&teacher, PARENTS, "Второе").await;
    demo.post_message(&teacher, PARENTS, "Третье").await;
    assert_eq!(summary(&demo, &parent, PARENTS).await.unread_count, 3);
    assert_eq!(summary(&demo, &teacher, PARENTS).await.unread_count, 0, "one's own messages are read");

    let read = async |id: i64| {
        server.post(&demo.chat_path(PARENTS, "/read"), json!({ "message_id": id }), Some(&parent)).await
    };
    assert_eq!(read(second.id).await.status, StatusCode::NO_CONTENT);
    let now = chat(&demo, &parent, PARENTS).await;
    assert_eq!((now.last_read_id, now.unread_count), (Some(second.id), 1));
    assert_eq!(read(first.id).await.status, StatusCode::NO_CONTENT);
    assert_eq!(chat(&demo, &parent, PARENTS).await.last_read_id, Some(second.id), "never back");

    let page = demo.timeline(&teacher, PARENTS).await;
    let read_count = |id: i64| page.messages.iter().find(|m| m.id == id).unwrap().read_count;
    assert_eq!((read_count(first.id), read_count(second.id)), (1, 1));
    assert_eq!(page.messages.last().unwrap().read_count, 0);
    assert_eq!(read_count(mine.id), 1, "the teacher, who wrote after it; its author does not count");

    let newest = page.messages.last().unwrap().id;
    assert_eq!(read(newest).await.status, StatusCode::NO_CONTENT);
    let all_read = chat(&demo, &parent, PARENTS).await;
    assert_eq!((all_read.last_read_id, all_read.unread_count), (Some(newest), 0));
    assert_eq!(field_problems(&read(0).await), [("message_id".into(), "out_of_range".into())]);
    let student = server.sign_in(demo::MOROZOVA).await;
    server
        .post(&demo.chat_path(PARENTS, "/read"), json!({ "message_id": newest }), Some(&student))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_read_position_is_a_message_of_that_very_chat() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let unread = chat(&demo, &parent, PARENTS).await;
    assert_eq!(unread.unread_count, 3);

    let other_admin = outsider(&demo).await;
    let elsewhere: Vec<ChatSummary> = server.get("/api/v1/chats", Some(&other_admin)).await.parse();
    let elsewhere = elsewhere.iter().find(|c| c.kind == api::ChatKind::Staff).unwrap().id;
    let body = json!({ "client_id": client_id(), "text": "Другая школа" });
    let reply = server.post(&format!("/api/v1/chats/{elsewhere}/messages"), body, Some(&other_admin)).await;
    let other_school: Message = reply.parse();
    let other_chat = demo.post_message(&teacher, "5А", "Сообщение в классе").await;

    for id in [other_school.id, other_chat.id, i64::MAX] {
        server
            .post(&demo.chat_path(PARENTS, "/read"), json!({ "message_id": id }), Some(&parent))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let after = chat(&demo, &parent, PARENTS).await;
    assert_eq!((after.last_read_id, after.unread_count), (unread.last_read_id, 3), "nothing moved");
}

#[tokio::test]
async fn joining_a_chat_leaves_its_history_read() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let created = demo
        .invite(&admin, invite_body(json!({ "kind": "class", "class_id": demo.class("5А") }), "parent"))
        .await;
    let newcomer = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    assert_eq!(demo.join(&created.token, &newcomer, json!({})).await.status, StatusCode::OK);

    let joined = chat(&demo, &newcomer, PARENTS).await;
    assert_eq!(joined.unread_count, 0);
    assert!(joined.last_read_id.is_some());
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    demo.post_message(&teacher, PARENTS, "Добро пожаловать!").await;
    assert_eq!(summary(&demo, &newcomer, PARENTS).await.unread_count, 1);
    assert_eq!(summary(&demo, &newcomer, GENERAL).await.unread_count, 0);
}

#[tokio::test]
async fn timelines_page_back_and_forth() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let db = &server.state.db;
    let chat_id = demo.chat("5А");
    parta_server::fill::fill_chat(db, chat_id, 250, server.state.clock.unix()).await.unwrap();
    let student = server.sign_in(demo::LEBEDEV).await;
    let all: Vec<i64> = sqlx::query_scalar("SELECT id FROM messages WHERE chat_id = ? ORDER BY id")
        .bind(chat_id)
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(all.len(), 251);
    let page = async |query: &str| -> MessagePage {
        let reply = server.get(&demo.chat_path("5А", &format!("/messages?{query}")), Some(&student)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.parse()
    };
    let ids = |page: &MessagePage| page.messages.iter().map(|m| m.id).collect::<Vec<_>>();

    let newest = page("").await;
    assert_eq!((newest.messages.len(), newest.has_more, newest.has_newer), (50, true, false));
    assert_eq!(ids(&newest), all[201..]);

    let mut back = Vec::new();
    let mut query = "limit=100".to_string();
    loop {
        let older = page(&query).await;
        let mut chunk = ids(&older);
        chunk.extend(back);
        back = chunk;
        if !older.has_more {
            break;
        }
        assert!(older.has_newer || !query.contains("before"));
        query = format!("limit=100&before={}", older.messages[0].id);
    }
    assert_eq!(back, all);

    let mut forward = Vec::new();
    let mut after = all[0] - 1;
    loop {
        let newer = page(&format!("after={after}&limit=70")).await;
        assert_eq!(newer.has_more, after >= all[0]);
        forward.extend(ids(&newer));
        if !newer.has_newer {
            break;
        }
        after = newer.messages.last().unwrap().id;
    }
    assert_eq!(forward, all);

    let middle = page(&format!("after={}&limit=10", all[100])).await;
    assert_eq!(ids(&middle), all[101..111]);
    assert!(middle.has_more && middle.has_newer);
    let past_the_end = page(&format!("after={}", all[250])).await;
    assert!(past_the_end.messages.is_empty() && past_the_end.has_more && !past_the_end.has_newer);
    let before_the_start = page(&format!("before={}", all[0])).await;
    assert!(before_the_start.messages.is_empty() && !before_the_start.has_more && before_the_start.has_newer);

    // Filled-in history spans days, so the app shows date separators.
    let first_day = &page(&format!("after={}&limit=1", all[0] - 1)).await.messages[0].created_at[..10];
    assert_ne!(first_day, &newest.messages[49].created_at[..10]);

    server
        .get(&demo.chat_path("5А", "/messages?before=5&after=3"), Some(&student))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn a_chat_of_ten_thousand_messages() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let chat_id = demo.chat("5А");
    let filled = parta_server::fill::fill_chat(&server.state.db, chat_id, 10_000, server.state.clock.unix())
        .await
        .unwrap();
    let (first, last) = filled.unwrap();
    assert_eq!(last - first, 9_999);
    let student = server.sign_in(demo::LEBEDEV).await;
    let newest = demo.timeline(&student, "5А").await;
    assert_eq!(newest.messages.last().unwrap().id, last);
    assert!(newest.has_more);
    let row = summary(&demo, &student, "5А").await;
    assert!(row.unread_count > 6_000, "{}", row.unread_count);
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    demo.post_message(&teacher, "5А", "Новое сообщение").await;
    let read =
        server.post(&demo.chat_path("5А", "/read"), json!({ "message_id": last + 1 }), Some(&student)).await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    assert_eq!(summary(&demo, &student, "5А").await.unread_count, 0);
}

#[tokio::test]
async fn bad_input_is_never_a_server_error() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let chat = demo.chat(PARENTS);
    let huge = "99999999999999999999999";
    for path in [
        format!("/api/v1/chats/{chat}/messages?before={}", i64::MAX),
        format!("/api/v1/chats/{chat}/messages?after={}", i64::MIN),
        format!("/api/v1/chats/{chat}/messages?after={huge}"),
        format!("/api/v1/chats/{chat}/messages?limit={huge}"),
        format!("/api/v1/chats/{chat}/messages?before=&after="),
        format!("/api/v1/chats/{huge}/messages"),
        format!("/api/v1/chats/{}", i64::MIN),
        "/api/v1/events?after=abc".to_string(),
        format!("/api/v1/events?after={huge}"),
    ] {
        let reply = server.get(&path, Some(&parent)).await;
        assert!(reply.status.is_client_error() || reply.status.is_success(), "{path}: {}", reply.status);
    }
    let message = format!("/api/v1/chats/{chat}/messages");
    for (path, body) in [
        (message.clone(), json!({ "client_id": client_id(), "text": "x", "reply_to": i64::MAX })),
        (message.clone(), json!({ "client_id": client_id(), "text": "x", "reply_to": -1 })),
        (message.clone(), json!({ "client_id": client_id(), "text": "\u{0}\u{202e}" })),
        (message.clone(), json!([])),
        (message.clone(), json!(null)),
        (format!("/api/v1/chats/{chat}/read"), json!({ "message_id": i64::MIN })),
        (format!("/api/v1/chats/{chat}/read"), json!({ "message_id": "1" })),
    ] {
        let reply = server.post(&path, body, Some(&parent)).await;
        assert!(reply.status.is_client_error() || reply.status.is_success(), "{path}: {}", reply.text());
    }
    for path in [
        format!("/api/v1/chats/{chat}/messages/{}", i64::MAX),
        format!("/api/v1/chats/{chat}/messages/{}/reactions/%FF%FE", i64::MAX),
        format!("/api/v1/chats/{chat}/messages/1/reactions/%F0%9F%91%8D"),
        format!("/api/v1/chats/{chat}/messages/x/reactions/y"),
    ] {
        for reply in [
            server.put(&path, json!({}), Some(&parent)).await,
            server.patch(&path, json!({ "text": "x" }), Some(&parent)).await,
            server.delete(&path, Some(&parent)).await,
        ] {
            assert!(reply.status.is_client_error(), "{path}: {}", reply.text());
        }
    }
    let weird = server
        .post(&message, json!({ "client_id": client_id(), "text": "\u{0}\u{202e}" }), Some(&parent))
        .await;
    assert_eq!(field_problems(&weird), [("text".into(), "required".into())], "nothing of it is kept");
}

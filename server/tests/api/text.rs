//! What people type is stored clean: no control characters (NUL, BEL, ESC…) and nothing that turns the
//! text's direction (U+202E) in any field; one-line fields with their whitespace folded, texts with
//! their lines kept; every length measured on what is kept (`api::text`).

use api::{
    Chat, ChatSummary, ClassSummary, CreatedInvite, InvitePreview, JoinOutcome, Me, Message, SchoolInfo,
};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, client_id, demo, field_problems, invite_body};

const PARENTS: &str = "Родители 5А";
const RLO: &str = "\u{202E}";

#[tokio::test]
async fn a_chats_title_and_description_are_stored_clean() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let body = json!({
        "kind": "group",
        "title": format!("  Родители{RLO}Админ\u{0}\r\n"),
        "description": "Первая строка\r\nВторая\u{1b}[31m\tс табуляцией\u{7}\n\n",
    });
    let reply = server.post(&demo.school_path("/chats"), body, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let created: ChatSummary = reply.parse();
    assert_eq!(created.title, "РодителиАдмин");
    let path = format!("/api/v1/chats/{}", created.id);
    let chat: Chat = server.get(&path, Some(&admin)).await.parse();
    assert_eq!(chat.description.as_deref(), Some("Первая строка\nВторая[31m\tс табуляцией"));

    let renamed = server
        .patch(&path, json!({ "title": "\u{7} Поход\r\nв музей ", "description": RLO }), Some(&admin))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text());
    let renamed: Chat = renamed.parse();
    assert_eq!((renamed.title.as_str(), renamed.description), ("Поход в музей", None));

    let only_controls =
        server.patch(&path, json!({ "title": format!("\u{0}{RLO} \u{1b}") }), Some(&admin)).await;
    assert_eq!(field_problems(&only_controls), [("title".into(), "required".into())]);
    let padded = format!("{}{}", "я".repeat(api::CHAT_TITLE_MAX_CHARS), RLO.repeat(20));
    let reply = server.patch(&path, json!({ "title": padded }), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "the length is that of what is kept: {}", reply.text());
}

#[tokio::test]
async fn a_message_keeps_its_lines_and_loses_the_rest() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let sent = demo
        .post_message(&parent, PARENTS, "\r\n Привет\u{0}\u{7}\r\n\tмир\u{1b}[2J!\u{202E}\u{2066}\n")
        .await;
    assert_eq!(sent.text, "Привет\n\tмир[2J!");
    let stored = demo.timeline(&parent, PARENTS).await.messages.pop().unwrap();
    assert_eq!(stored.text, sent.text);

    let path = demo.chat_path(PARENTS, &format!("/messages/{}", sent.id));
    let edited =
        server.patch(&path, json!({ "text": "Исправлено\u{202D}\r\nвот так\u{0}" }), Some(&parent)).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert_eq!(edited.parse::<Message>().text, "Исправлено\nвот так");

    let messages = demo.chat_path(PARENTS, "/messages");
    let send = |text: String| {
        server.post(&messages, json!({ "client_id": client_id(), "text": text }), Some(&parent))
    };
    assert_eq!(
        field_problems(&send(format!("\u{0}{RLO}\r\n\u{7}")).await),
        [("text".into(), "required".into())]
    );
    let padded = format!("{}{}", "я".repeat(api::MESSAGE_MAX_CHARS), "\u{0}".repeat(10));
    assert_eq!(send(padded).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_polls_question_and_options_are_lines() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let path = demo.chat_path(PARENTS, "/polls");
    let body = json!({
        "client_id": client_id(),
        "question": format!("Когда{RLO} собрание?\n"),
        "options": ["\u{0}Вторник", "Среда\r\n вечером"],
    });
    let reply = server.post(&path, body, Some(&parent)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let poll: Message = reply.parse();
    assert_eq!(poll.text, "Когда собрание?");
    let options: Vec<String> = poll.poll.unwrap().options.into_iter().map(|option| option.text).collect();
    assert_eq!(options, ["Вторник", "Среда вечером"]);

    let same =
        json!({ "client_id": client_id(), "question": "Да или да?", "options": ["Да", format!("Да{RLO}")] });
    assert_eq!(
        field_problems(&server.post(&path, same, Some(&parent)).await),
        [("options.1".into(), "not_allowed".into())]
    );
}

#[tokio::test]
async fn an_invites_label_and_a_childs_name_are_lines() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let mut body = invite_body(json!({ "kind": "class", "class_id": demo.class("5А") }), "parent");
    body["label"] = json!(format!("Собрание\u{0} 1{RLO} сентября\r\n"));
    body["requires_approval"] = json!(true);
    let created: CreatedInvite = demo.invite(&teacher, body).await;
    assert_eq!(created.invite.label.as_deref(), Some("Собрание 1 сентября"));
    let preview: InvitePreview = demo.preview(&created.token, None).await.parse();
    assert_eq!(preview.label.as_deref(), Some("Собрание 1 сентября"));

    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    let joined = demo
        .join(&created.token, &parent, json!({ "child_name": format!("Маша{RLO}\u{0}\n Волкова") }))
        .await;
    let JoinOutcome::Pending { request } = joined.parse() else { panic!("{}", joined.text()) };
    let child_name: String = sqlx::query_scalar("SELECT child_name FROM join_requests WHERE id = ?")
        .bind(request.id)
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(child_name, "Маша Волкова");
}

#[tokio::test]
async fn a_schools_classes_and_information_are_lines() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let reply = server
        .post(&demo.school_path("/classes"), json!({ "name": format!("7{RLO}Б\u{0}") }), Some(&admin))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let class: ClassSummary = reply.parse();
    assert_eq!(class.name, "7Б");
    let renamed = server
        .patch(&format!("/api/v1/classes/{}", class.id), json!({ "name": "7\r\nВ\u{7}" }), Some(&admin))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text());
    assert_eq!(renamed.parse::<ClassSummary>().name, "7 В");
    let bulk = json!({ "grades": [8], "letters": [format!("{RLO}д\u{0}")] });
    let reply = server.post(&demo.school_path("/classes/bulk"), bulk, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.json()["created"][0]["name"], "8Д");

    let info = json!({
        "name": format!("МБОУ{RLO} СОШ № 7"), "short_name": "Школа\u{0} № 7", "region": "\u{1b}[1mСвердловская",
        "municipality": "г. Екатеринбург\r\n", "address": "ул. Ленина,\r\n д. 1\u{7}", "phone": "8 (343) 555-12-34\u{0}",
        "email": "school7@mail.ru\u{202C}", "website": "school7.ru\u{0}", "journal_url": null,
    });
    let reply = server.put(&demo.school_path("/info"), info, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let stored: SchoolInfo = reply.parse();
    assert_eq!(
        [
            stored.name.as_str(),
            &stored.short_name.unwrap(),
            &stored.region.unwrap(),
            &stored.municipality.unwrap()
        ],
        ["МБОУ СОШ № 7", "Школа № 7", "[1mСвердловская", "г. Екатеринбург"]
    );
    assert_eq!(
        [stored.address.unwrap(), stored.phone.unwrap(), stored.email.unwrap(), stored.website.unwrap()],
        ["ул. Ленина, д. 1", "+73435551234", "school7@mail.ru", "https://school7.ru"]
    );
}

#[tokio::test]
async fn names_in_a_profile_are_lines() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let cookie = server.sign_in("+79001110001").await;
    let profile = json!({ "first_name": format!("Анна{RLO}"), "last_name": "\u{0}Новикова\r\n", "birth_date": "1985-05-15" });
    let reply = server.put("/api/v1/me/profile", profile, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let me: Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert_eq!(
        (me.user.first_name.as_deref(), me.user.last_name.as_deref()),
        (Some("Анна"), Some("Новикова"))
    );
    let blank = json!({ "first_name": RLO, "last_name": "Новикова", "birth_date": "1985-05-15" });
    let reply = server.put("/api/v1/me/profile", blank, Some(&cookie)).await;
    assert_eq!(field_problems(&reply), [("first_name".into(), "required".into())]);
}

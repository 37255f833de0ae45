//! Creating chats, changing them, and who is in them: managers, members, leaving.

use api::{Chat, ChatKind, ChatMember, ChatSummary, Contact, MessageKind, Posting, ServerEvent, SystemEvent};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::direct::{heard, outsider, user_id};
use crate::events::{connect, listen, next_event};
use crate::support::{Demo, client_id, demo, field_problems};

const SMIRNOVA: &str = "+79000000102";
const VOLKOV: &str = "+79000000103";

/// Елена Кузнецова's new subject chat of 5А, with Анна Смирнова and Андрей Соколов.
async fn maths_club(demo: &Demo) -> (String, ChatSummary) {
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let body = json!({
        "kind": "subject",
        "title": "  Кружок математики ",
        "description": "Олимпиадные задачи",
        "class_id": demo.class("5А"),
        "member_ids": [user_id(demo, SMIRNOVA).await, user_id(demo, demo::SOKOLOV).await],
    });
    let reply = demo.server.post(&demo.school_path("/chats"), body, Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    (teacher, reply.parse())
}

fn chat_path(chat: &ChatSummary, rest: &str) -> String {
    format!("/api/v1/chats/{}{rest}", chat.id)
}

async fn members(demo: &Demo, cookie: &str, chat: &ChatSummary) -> Vec<ChatMember> {
    let reply = demo.server.get(&chat_path(chat, "/members"), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

async fn texts(demo: &Demo, cookie: &str, chat: &ChatSummary) -> Vec<String> {
    let page: api::MessagePage = demo.server.get(&chat_path(chat, "/messages"), Some(cookie)).await.parse();
    page.messages.into_iter().map(|m| m.text).collect()
}

/// What the chat's system lines record, in order.
async fn system_lines(demo: &Demo, cookie: &str, chat: &ChatSummary) -> Vec<SystemEvent> {
    let page: api::MessagePage = demo.server.get(&chat_path(chat, "/messages"), Some(cookie)).await.parse();
    page.messages
        .into_iter()
        .filter(|m| m.kind == MessageKind::System)
        .map(|m| m.system.expect("a system line the server writes is data"))
        .collect()
}

/// The `type`s of the numbered events about the chat, in order.
async fn logged(demo: &Demo, chat: &ChatSummary) -> Vec<String> {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM events WHERE chat_id = ? ORDER BY id")
            .bind(chat.id)
            .fetch_all(&demo.server.state.db)
            .await
            .unwrap();
    payloads
        .iter()
        .map(|p| serde_json::from_str::<Value>(p).unwrap()["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_teacher_creates_a_chat_of_their_class() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let smirnova_id = user_id(&demo, SMIRNOVA).await;
    let mut smirnova_hears = server.state.hub.subscribe(smirnova_id);
    let (teacher, created) = maths_club(&demo).await;
    assert_eq!((created.kind, created.title.as_str()), (ChatKind::Subject, "Кружок математики"));
    assert_eq!(heard(&mut smirnova_hears).await, ["message_created", "memberships_changed"]);

    let chat: Chat = server.get(&chat_path(&created, ""), Some(&teacher)).await.parse();
    assert_eq!(chat.description.as_deref(), Some("Олимпиадные задачи"));
    assert_eq!(
        (chat.class_id, chat.posting, chat.member_count),
        (Some(demo.class("5А")), Posting::Everyone, 3)
    );
    assert!(chat.can_manage && chat.can_leave && chat.can_post);
    assert_eq!((chat.unread_count, chat.last_read_id.is_some()), (0, true));

    let student = server.sign_in(SMIRNOVA).await;
    let page: api::MessagePage = server.get(&chat_path(&created, "/messages"), Some(&student)).await.parse();
    assert_eq!(page.messages.len(), 1);
    assert_eq!((page.messages[0].kind, page.messages[0].text.as_str()), (MessageKind::System, "Чат создан"));
    assert_eq!(page.messages[0].system, Some(SystemEvent::ChatCreated));
    let theirs: Chat = server.get(&chat_path(&created, ""), Some(&student)).await.parse();
    assert!(!theirs.can_manage && theirs.can_leave && theirs.can_post);

    let list = members(&demo, &student, &created).await;
    let names: Vec<(&str, bool)> = list.iter().map(|m| (m.name.as_str(), m.manager)).collect();
    assert_eq!(names, [("Елена Кузнецова", true), ("Андрей Соколов", false), ("Анна Смирнова", false)]);
    assert_eq!(list[0].roles, [api::Role::Teacher]);
    assert!(list[0].teacher_verified && !list[1].teacher_verified);

    server
        .get(&chat_path(&created, "/members"), Some(&server.sign_in(demo::MOROZOVA).await))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    // The school's administrator answers for every chat of it, and reads it without being in it.
    let reply = server.get(&chat_path(&created, "/members"), Some(&server.sign_in(demo::ADMIN).await)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn only_staff_create_chats_and_teachers_only_in_their_classes() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let path = demo.school_path("/chats");
    let body = |class: &str| json!({ "kind": "group", "title": "Поход", "class_id": demo.class(class) });

    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    server.post(&path, body("9В"), Some(&teacher)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    for phone in [demo::LEBEDEVA, demo::LEBEDEV] {
        let cookie = server.sign_in(phone).await;
        server.post(&path, body("5А"), Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let (stranger, _) = outsider(&demo).await;
    server.post(&path, body("5А"), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    let problems = field_problems(
        &server
            .post(
                &path,
                json!({
                    "kind": "channel",
                    "title": " \n ",
                    "description": "я".repeat(api::CHAT_DESCRIPTION_MAX_CHARS + 1),
                }),
                Some(&teacher),
            )
            .await,
    );
    assert_eq!(
        problems,
        [
            ("kind".into(), "not_allowed".into()),
            ("title".into(), "required".into()),
            ("description".into(), "too_long".into()),
            ("class_id".into(), "required".into()),
        ]
    );
    let too_long =
        json!({ "kind": "group", "title": "я".repeat(api::CHAT_TITLE_MAX_CHARS + 1), "class_id": 999_999 });
    assert_eq!(
        field_problems(&server.post(&path, too_long, Some(&teacher)).await),
        [("title".into(), "too_long".into()), ("class_id".into(), "not_allowed".into())]
    );
    for member in [999_999, user_id(&demo, demo::MOROZOVA).await] {
        let body = json!({ "kind": "group", "title": "Поход", "class_id": demo.class("5А"), "member_ids": [member] });
        assert_eq!(
            field_problems(&server.post(&path, body, Some(&teacher)).await),
            [("member_ids".into(), "not_allowed".into())]
        );
    }
    let direct = json!({ "kind": "direct", "title": "x", "class_id": demo.class("5А") });
    assert_eq!(
        field_problems(&server.post(&path, direct, Some(&teacher)).await),
        [("kind".into(), "not_allowed".into())]
    );
    let chats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE title IN ('Поход', 'x')")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(chats, 0, "nothing was created");
}

#[tokio::test]
async fn administrators_create_channels_for_anyone() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let morozova = user_id(&demo, demo::MOROZOVA).await;
    let body = json!({ "kind": "channel", "title": "Олимпиады", "member_ids": [morozova, morozova] });
    let reply = server.post(&demo.school_path("/chats"), body, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let channel: ChatSummary = reply.parse();
    let list = members(&demo, &admin, &channel).await;
    let rights: Vec<(&str, bool, bool)> =
        list.iter().map(|m| (m.name.as_str(), m.manager, m.can_post)).collect();
    assert_eq!(rights, [("Ольга Миронова", true, true), ("Полина Морозова", false, false)]);
}

#[tokio::test]
async fn managers_change_a_chat_and_members_hear_of_it() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let (teacher, created) = maths_club(&demo).await;
    let path = chat_path(&created, "");
    let student = server.sign_in(SMIRNOVA).await;
    let url = listen(server).await;
    let mut socket = connect(&url, &student).await;
    let ServerEvent::Hello { seq: seen, .. } = next_event(&mut socket).await else {
        panic!("expected hello")
    };
    drop(socket);

    let changed: Chat = server
        .patch(
            &path,
            json!({ "title": " Математика+ ", "description": "", "posting": "managers" }),
            Some(&teacher),
        )
        .await
        .parse();
    assert_eq!((changed.title.as_str(), changed.description.as_deref()), ("Математика+", None));
    assert_eq!(changed.posting, Posting::Managers);
    assert_eq!(
        texts(&demo, &student, &created).await,
        ["Чат создан", "Название чата изменено: «Математика+»", "Описание чата удалено"]
    );
    assert_eq!(
        system_lines(&demo, &student, &created).await,
        [
            SystemEvent::ChatCreated,
            SystemEvent::ChatRenamed { title: "Математика+".into() },
            SystemEvent::DescriptionRemoved
        ]
    );
    assert_eq!(
        logged(&demo, &created).await,
        ["message_created", "message_created", "message_created", "chat_updated"]
    );

    // A member who was away has the change replayed.
    let mut socket = connect(&format!("{url}?after={seen}"), &student).await;
    next_event(&mut socket).await;
    let mut replayed = Vec::new();
    for _ in 0..3 {
        replayed.push(next_event(&mut socket).await);
    }
    assert!(
        matches!(replayed[2], ServerEvent::ChatUpdated { chat_id, .. } if chat_id == created.id),
        "{replayed:?}"
    );

    let same: Chat = server.patch(&path, json!({ "title": "Математика+" }), Some(&teacher)).await.parse();
    assert_eq!(same, changed);
    assert_eq!(logged(&demo, &created).await.len(), 4, "no change, no event");
    let posting_only: Chat =
        server.patch(&path, json!({ "posting": "everyone" }), Some(&teacher)).await.parse();
    assert_eq!(posting_only.posting, Posting::Everyone);
    assert_eq!(logged(&demo, &created).await.last().unwrap(), "chat_updated");
    assert_eq!(texts(&demo, &student, &created).await.len(), 3, "who posts is not a timeline event");

    server
        .patch(&path, json!({ "title": "Моё" }), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let outsider = server.sign_in(demo::MOROZOVA).await;
    server
        .patch(&path, json!({ "title": "Моё" }), Some(&outsider))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        field_problems(
            &server
                .patch(&path, json!({ "title": "", "description": "я".repeat(501) }), Some(&teacher))
                .await
        ),
        [("title".into(), "required".into()), ("description".into(), "too_long".into())]
    );

    // The class teacher manages the class's chats; a teacher who is only a member does not.
    let class_chat = demo.chat_path("5А", "");
    assert!(server.get(&class_chat, Some(&teacher)).await.parse::<Chat>().can_manage);
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let his: Chat = server.get(&class_chat, Some(&sokolov)).await.parse();
    assert!(!his.can_manage && !his.can_leave);
    server
        .patch(&class_chat, json!({ "title": "5А!" }), Some(&sokolov))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let general = demo.chat_path("Общий канал", "");
    assert!(server.get(&general, Some(&server.sign_in(demo::ADMIN).await)).await.parse::<Chat>().can_manage);
    assert!(
        !server.get(&general, Some(&teacher)).await.parse::<Chat>().can_manage,
        "channels: administrators only"
    );

    server.patch(&path, json!({ "description": "Задачи повышенной сложности" }), Some(&teacher)).await;
    assert_eq!(texts(&demo, &student, &created).await.last().unwrap(), "Описание чата изменено");
    assert_eq!(system_lines(&demo, &student, &created).await.last(), Some(&SystemEvent::DescriptionChanged));
}

#[tokio::test]
async fn where_only_managers_post_members_cannot() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let (teacher, created) = maths_club(&demo).await;
    server.patch(&chat_path(&created, ""), json!({ "posting": "managers" }), Some(&teacher)).await;
    let student = server.sign_in(SMIRNOVA).await;
    let body = || json!({ "client_id": client_id(), "text": "Можно вопрос?" });
    server
        .post(&chat_path(&created, "/messages"), body(), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "cannot_post");
    assert!(!server.get(&chat_path(&created, ""), Some(&student)).await.parse::<Chat>().can_post);
    let reply = server.post(&chat_path(&created, "/messages"), body(), Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let list = members(&demo, &student, &created).await;
    assert_eq!(list.iter().filter(|m| m.can_post).count(), 1, "{list:?}");
}

#[tokio::test]
async fn managers_add_the_people_they_may_and_remove_them() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let (teacher, created) = maths_club(&demo).await;
    let people = demo.school_path(&format!("/people?for=chat&chat_id={}", created.id));
    let offered: Vec<Contact> = server.get(&people, Some(&teacher)).await.parse();
    let names: Vec<&str> = offered.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Алексей Смирнов",
            "Дмитрий Волков",
            "Игорь Орлов",
            "Марина Белова",
            "Михаил Лебедев",
            "Наталья Волкова",
            "Ольга Миронова",
            "Светлана Лебедева"
        ],
        "the people of 5А and the staff, not yet in it"
    );

    let volkov = user_id(&demo, VOLKOV).await;
    let smirnova = user_id(&demo, SMIRNOVA).await;
    let mut volkov_hears = server.state.hub.subscribe(volkov);
    let mut smirnova_hears = server.state.hub.subscribe(smirnova);
    let members_path = chat_path(&created, "/members");
    let add = async |ids: Value| server.post(&members_path, json!({ "user_ids": ids }), Some(&teacher)).await;
    let reply = add(json!([volkov, smirnova])).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let now: Vec<ChatMember> = reply.parse();
    assert_eq!(now.len(), 4);
    assert_eq!(
        texts(&demo, &teacher, &created).await.last().unwrap(),
        "Дмитрий Волков — новый участник чата"
    );
    assert_eq!(
        system_lines(&demo, &teacher, &created).await.last(),
        Some(&SystemEvent::MemberJoined {
            user_id: Some(volkov), name: "Дмитрий Волков".into()
        })
    );
    assert_eq!(heard(&mut volkov_hears).await, ["message_created", "chat_updated", "memberships_changed"]);
    assert_eq!(heard(&mut smirnova_hears).await, ["message_created", "chat_updated"]);

    assert_eq!(
        field_problems(&add(json!([user_id(&demo, demo::MOROZOVA).await])).await),
        [("user_ids".into(), "not_allowed".into())]
    );
    assert_eq!(field_problems(&add(json!([])).await), [("user_ids".into(), "required".into())]);
    let student = server.sign_in(SMIRNOVA).await;
    server
        .post(&chat_path(&created, "/members"), json!({ "user_ids": [volkov] }), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    server.get(&people, Some(&student)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    server
        .get(&demo.school_path("/people?for=chat"), Some(&teacher))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");

    let remove = |id: i64, cookie: &str| {
        let path = chat_path(&created, &format!("/members/{id}"));
        let cookie = cookie.to_string();
        async move { server.delete(&path, Some(&cookie)).await }
    };
    assert_eq!(remove(volkov, &teacher).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        texts(&demo, &teacher, &created).await.last().unwrap(),
        "Дмитрий Волков — больше не участник чата"
    );
    assert_eq!(
        system_lines(&demo, &teacher, &created).await.last(),
        Some(&SystemEvent::MemberRemoved {
            user_id: Some(volkov), name: "Дмитрий Волков".into()
        })
    );
    assert_eq!(heard(&mut volkov_hears).await, ["memberships_changed"]);
    assert_eq!(heard(&mut smirnova_hears).await, ["message_created", "chat_updated"]);
    let gone = server.sign_in(VOLKOV).await;
    server.get(&chat_path(&created, ""), Some(&gone)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    remove(volkov, &teacher).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    remove(smirnova, &student).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let teacher_id = user_id(&demo, demo::KUZNETSOVA).await;
    remove(teacher_id, &teacher).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let lebedev = user_id(&demo, demo::LEBEDEV).await;
    server
        .delete(&demo.chat_path("5А", &format!("/members/{lebedev}")), Some(&teacher))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn members_leave_group_and_subject_chats_only() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let (teacher, created) = maths_club(&demo).await;
    let teacher_id = user_id(&demo, demo::KUZNETSOVA).await;
    let mut teacher_hears = server.state.hub.subscribe(teacher_id);
    let student = server.sign_in(SMIRNOVA).await;
    let mut student_hears = server.state.hub.subscribe(user_id(&demo, SMIRNOVA).await);

    let leave = server.post(&chat_path(&created, "/leave"), json!({}), Some(&student)).await;
    assert_eq!(leave.status, StatusCode::NO_CONTENT, "{}", leave.text());
    assert_eq!(heard(&mut student_hears).await, ["memberships_changed"]);
    assert_eq!(heard(&mut teacher_hears).await, ["message_created", "chat_updated"]);
    assert_eq!(texts(&demo, &teacher, &created).await.last().unwrap(), "Анна Смирнова покидает чат");
    let left = SystemEvent::MemberLeft {
        user_id: Some(user_id(&demo, SMIRNOVA).await),
        name: "Анна Смирнова".into(),
    };
    assert_eq!(system_lines(&demo, &teacher, &created).await.last(), Some(&left));
    // The chat list shows it as the chat's last message: no author, the event to word.
    let list: Vec<ChatSummary> = server.get("/api/v1/chats", Some(&teacher)).await.parse();
    let row = list.iter().find(|c| c.id == created.id).unwrap();
    let preview = row.last_message.as_ref().unwrap();
    assert_eq!((preview.author_name.as_deref(), preview.system.as_ref()), (None, Some(&left)));
    assert_eq!(members(&demo, &teacher, &created).await.len(), 2);
    server
        .post(&chat_path(&created, "/leave"), json!({}), Some(&student))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let classmate = server.sign_in(demo::LEBEDEV).await;
    server
        .post(&demo.chat_path("5А", "/leave"), json!({}), Some(&classmate))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn bad_input_to_chat_settings_is_never_a_server_error() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let (teacher, created) = maths_club(&demo).await;
    let huge = "99999999999999999999999";
    let chat = created.id;
    let school = demo.school_id;
    for path in [
        format!("/api/v1/schools/{school}/people"),
        format!("/api/v1/schools/{school}/people?for=everyone"),
        format!("/api/v1/schools/{school}/people?for=chat&chat_id={huge}"),
        format!("/api/v1/schools/{school}/people?for=chat&chat_id={}", i64::MAX),
        format!("/api/v1/schools/{huge}/people?for=direct"),
        format!("/api/v1/chats/{huge}/members"),
        "/api/v1/chats/abc/members".to_string(),
    ] {
        let reply = server.get(&path, Some(&teacher)).await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.text());
    }
    for (path, body) in [
        (format!("/api/v1/schools/{school}/direct"), json!({ "user_id": "1" })),
        (format!("/api/v1/schools/{school}/direct"), json!({ "user_id": i64::MIN })),
        (format!("/api/v1/schools/{school}/direct"), json!(null)),
        (format!("/api/v1/schools/{school}/chats"), json!({ "kind": "group" })),
        (format!("/api/v1/schools/{school}/chats"), json!({ "kind": 5, "title": "x" })),
        (
            format!("/api/v1/schools/{school}/chats"),
            json!({ "kind": "group", "title": "x", "member_ids": "all" }),
        ),
        (format!("/api/v1/schools/{huge}/chats"), json!({ "kind": "group", "title": "x" })),
        (format!("/api/v1/chats/{chat}/members"), json!({ "user_ids": [i64::MAX, -1] })),
        (format!("/api/v1/chats/{chat}/members"), json!({ "user_ids": null })),
        (format!("/api/v1/chats/{chat}/members"), json!([])),
        (format!("/api/v1/chats/{huge}/leave"), json!({})),
    ] {
        let reply = server.post(&path, body, Some(&teacher)).await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.text());
    }
    for body in [json!({ "posting": "nobody" }), json!({ "title": 5 }), json!("title")] {
        let reply = server.patch(&format!("/api/v1/chats/{chat}"), body, Some(&teacher)).await;
        assert!(reply.status.is_client_error(), "{}", reply.text());
    }
    for path in [format!("/api/v1/chats/{chat}/members/{huge}"), format!("/api/v1/chats/{chat}/members/x")] {
        let reply = server.delete(&path, Some(&teacher)).await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.text());
    }
}

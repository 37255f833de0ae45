//! Safe mode: whom people may write to one-to-one (`/schools/{id}/people?for=direct`), and the 1:1
//! chats themselves (`POST /schools/{id}/direct`).

use std::time::Duration;

use api::{Chat, ChatKind, ChatSummary, Contact, Role};
use axum::http::StatusCode;
use parta_server::hub::Subscription;
use serde_json::json;

use crate::support::{Demo, client_id, demo};

/// The id of the demo person with this (normalised) phone number.
pub async fn user_id(demo: &Demo, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = ?")
        .bind(phone)
        .fetch_one(&demo.server.state.db)
        .await
        .unwrap()
}

/// The types of the events that reached a person's sockets so far.
pub async fn heard(subscription: &mut Subscription) -> Vec<String> {
    let mut types = Vec::new();
    while let Ok(Some(frame)) = tokio::time::timeout(Duration::from_millis(50), subscription.recv()).await {
        let event: serde_json::Value = serde_json::from_str(frame.text.as_str()).unwrap();
        types.push(event["type"].as_str().unwrap().to_string());
    }
    types
}

/// A second school with its administrator signed up: someone from elsewhere, and their id.
pub async fn outsider(demo: &Demo) -> (String, i64) {
    let now = demo.server.state.clock.unix();
    let school =
        parta_server::schools::create(&demo.server.state.db, "Гимназия № 1", None, "+79005550000", now)
            .await
            .unwrap();
    (demo.server.sign_up("+79005550000", "Пётр", "Васильев").await, school.admin_id)
}

/// Makes the parent Светлана Лебедева the parent of the student Михаил Лебедев, as a child's link does.
async fn link_parent(demo: &Demo) {
    sqlx::query("INSERT INTO parent_links (parent_id, child_id, school_id, created_at) VALUES (?, ?, ?, 0)")
        .bind(user_id(demo, demo::LEBEDEVA).await)
        .bind(user_id(demo, demo::LEBEDEV).await)
        .bind(demo.school_id)
        .execute(&demo.server.state.db)
        .await
        .unwrap();
}

async fn contacts(demo: &Demo, cookie: &str) -> Vec<Contact> {
    let reply = demo.server.get(&demo.school_path("/people?for=direct"), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

fn names(contacts: &[Contact]) -> Vec<&str> {
    contacts.iter().map(|c| c.name.as_str()).collect()
}

async fn start(demo: &Demo, cookie: &str, other: i64) -> crate::support::Reply {
    demo.server.post(&demo.school_path("/direct"), json!({ "user_id": other }), Some(cookie)).await
}

#[tokio::test]
async fn students_write_to_their_teachers_and_classmates() {
    let demo = Demo::new().await;
    let student = demo.server.sign_in(demo::LEBEDEV).await;
    let offered = contacts(&demo, &student).await;
    assert_eq!(names(&offered), ["Анна Смирнова", "Дмитрий Волков", "Елена Кузнецова"]);
    let teacher = &offered[2];
    assert_eq!(teacher.roles, [Role::Teacher]);
    assert_eq!(teacher.classes, ["5А"], "not «Учительская»");
    assert!(teacher.teacher_verified);
    assert_eq!(
        (offered[0].roles.clone(), offered[0].classes.clone()),
        (vec![Role::Student], vec!["5А".into()])
    );

    let classmate = start(&demo, &student, user_id(&demo, "+79000000102").await).await;
    assert_eq!(classmate.status, StatusCode::CREATED, "{}", classmate.text());
    let own_teacher = start(&demo, &student, user_id(&demo, demo::KUZNETSOVA).await).await;
    assert_eq!(own_teacher.status, StatusCode::CREATED, "{}", own_teacher.text());
    start(&demo, &student, user_id(&demo, demo::MOROZOVA).await)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    start(&demo, &student, user_id(&demo, demo::BELOVA).await)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    start(&demo, &student, user_id(&demo, demo::LEBEDEVA).await)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn parents_write_to_their_childrens_teachers_and_children() {
    let demo = Demo::new().await;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    assert_eq!(names(&contacts(&demo, &parent).await), ["Елена Кузнецова"]);
    let child = user_id(&demo, demo::LEBEDEV).await;
    start(&demo, &parent, child).await.assert_error(StatusCode::FORBIDDEN, "forbidden");

    link_parent(&demo).await;
    assert_eq!(names(&contacts(&demo, &parent).await), ["Елена Кузнецова", "Михаил Лебедев"]);
    assert_eq!(start(&demo, &parent, child).await.status, StatusCode::CREATED);
    let teacher = start(&demo, &parent, user_id(&demo, demo::KUZNETSOVA).await).await;
    assert_eq!(teacher.status, StatusCode::CREATED);
    start(&demo, &parent, user_id(&demo, "+79000000202").await)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    start(&demo, &parent, user_id(&demo, "+79000000102").await)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn staff_write_to_anyone_of_their_school_only() {
    let demo = Demo::new().await;
    let teacher = demo.server.sign_in(demo::BELOVA).await;
    let offered = contacts(&demo, &teacher).await;
    assert_eq!(offered.len(), 11, "the whole school but herself: {:?}", names(&offered));
    assert!(!names(&offered).contains(&"Марина Белова"));
    let admin = offered.iter().find(|c| c.name == "Ольга Миронова").unwrap();
    assert_eq!(admin.roles[0], Role::Admin, "most senior first");
    for phone in [demo::LEBEDEVA, demo::LEBEDEV, demo::SOKOLOV] {
        assert_eq!(start(&demo, &teacher, user_id(&demo, phone).await).await.status, StatusCode::CREATED);
    }

    let (stranger, stranger_id) = outsider(&demo).await;
    start(&demo, &teacher, stranger_id).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    start(&demo, &teacher, 999_999).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let herself = user_id(&demo, demo::BELOVA).await;
    start(&demo, &teacher, herself).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    start(&demo, &stranger, herself).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    demo.server
        .get(&demo.school_path("/people?for=direct"), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_same_two_people_have_one_direct_chat_titled_after_the_other() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let student = server.sign_in(demo::LEBEDEV).await;
    let classmate = server.sign_in("+79000000102").await;
    let student_id = user_id(&demo, demo::LEBEDEV).await;
    let classmate_id = user_id(&demo, "+79000000102").await;
    let mut classmate_hears = server.state.hub.subscribe(classmate_id);

    let first = start(&demo, &student, classmate_id).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let created: ChatSummary = first.parse();
    assert_eq!((created.kind, created.title.as_str()), (ChatKind::Direct, "Анна Смирнова"));
    assert_eq!((created.last_message.as_ref(), created.unread_count), (None, 0));
    assert_eq!(heard(&mut classmate_hears).await, ["memberships_changed"]);

    let again = start(&demo, &student, classmate_id).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.parse::<ChatSummary>(), created);
    let theirs = start(&demo, &classmate, student_id).await;
    assert_eq!(theirs.status, StatusCode::OK);
    let theirs: ChatSummary = theirs.parse();
    assert_eq!((theirs.id, theirs.title.as_str()), (created.id, "Михаил Лебедев"));
    assert!(heard(&mut classmate_hears).await.is_empty(), "nothing new to hear");

    let path = format!("/api/v1/chats/{}", created.id);
    let chat: Chat = server.get(&path, Some(&classmate)).await.parse();
    assert_eq!(chat.title, "Михаил Лебедев");
    assert_eq!(chat.member_count, 2);
    assert!(chat.can_post && !chat.can_manage && !chat.can_leave);
    let list: Vec<ChatSummary> = server.get("/api/v1/chats", Some(&student)).await.parse();
    assert!(list.iter().any(|c| c.id == created.id && c.title == "Анна Смирнова"));
    let body = json!({ "client_id": client_id(), "text": "Привет!" });
    assert_eq!(
        server.post(&format!("{path}/messages"), body, Some(&classmate)).await.status,
        StatusCode::CREATED
    );
    let list: Vec<ChatSummary> = server.get("/api/v1/chats", Some(&student)).await.parse();
    assert_eq!((list[0].id, list[0].unread_count), (created.id, 1));

    server
        .patch(&path, json!({ "title": "Наш чат" }), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    server
        .post(&format!("{path}/leave"), json!({}), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn starting_the_same_chat_twice_at_once_makes_one() {
    let demo = Demo::new().await;
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    let (teacher_id, parent_id) =
        (user_id(&demo, demo::KUZNETSOVA).await, user_id(&demo, demo::LEBEDEVA).await);
    let (one, other) = tokio::join!(start(&demo, &teacher, parent_id), start(&demo, &parent, teacher_id));
    let mut statuses = [one.status, other.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED]);
    assert_eq!(one.parse::<ChatSummary>().id, other.parse::<ChatSummary>().id);
    let direct: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE kind = 'direct'")
        .fetch_one(&demo.server.state.db)
        .await
        .unwrap();
    assert_eq!(direct, 1);
}

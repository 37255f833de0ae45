use api::{TeacherStatus, TeacherVerification};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, demo};

async fn teacher_status(demo: &Demo, cookie: &str) -> Option<TeacherStatus> {
    let me: api::Me = demo.server.get("/api/v1/me", Some(cookie)).await.parse();
    me.schools[0].teacher_status
}

#[tokio::test]
async fn a_teacher_asks_and_an_administrator_confirms() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    let ask = demo.school_path("/teacher-verification");
    let list = demo.school_path("/teacher-verifications");
    assert_eq!(teacher_status(&demo, &sokolov).await, Some(TeacherStatus::Unverified));

    let asked: TeacherVerification = server.post(&ask, json!({}), Some(&sokolov)).await.parse();
    assert_eq!((asked.status, asked.teacher.name.as_str()), (TeacherStatus::Pending, "Андрей Соколов"));
    assert!(!asked.teacher.teacher_verified);
    let again: TeacherVerification = server.post(&ask, json!({}), Some(&sokolov)).await.parse();
    assert_eq!(again, asked, "asking twice changes nothing");
    assert_eq!(teacher_status(&demo, &sokolov).await, Some(TeacherStatus::Pending));

    let waiting: Vec<TeacherVerification> = server.get(&list, Some(&admin)).await.parse();
    let names: Vec<&str> = waiting.iter().map(|v| v.teacher.name.as_str()).collect();
    assert_eq!(names, ["Игорь Орлов", "Андрей Соколов"], "oldest first");
    let me: api::Me = server.get("/api/v1/me", Some(&admin)).await.parse();
    assert_eq!(me.schools[0].pending_decisions, 2);
    assert_eq!(me.schools[0].teacher_status, None, "not a teacher");
    server.get(&list, Some(&sokolov)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let student = server.sign_in(demo::LEBEDEV).await;
    server.post(&ask, json!({}), Some(&student)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(teacher_status(&demo, &student).await, None);

    let approve = format!("/api/v1/teacher-verifications/{}/approve", asked.id);
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    server
        .post(&approve, json!({}), Some(&kuznetsova))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let verified: TeacherVerification = server.post(&approve, json!({}), Some(&admin)).await.parse();
    assert_eq!(verified.status, TeacherStatus::Verified);
    assert!(verified.teacher.teacher_verified);
    assert!(verified.decided_at.is_some());
    server
        .post(&approve, json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::CONFLICT, "already_decided");
    assert_eq!(teacher_status(&demo, &sokolov).await, Some(TeacherStatus::Verified));
    let still: TeacherVerification = server.post(&ask, json!({}), Some(&sokolov)).await.parse();
    assert_eq!(still.id, asked.id, "a confirmed teacher has nothing to ask");

    // The badge shows on his messages to the school.
    let page: api::MessagePage = server
        .get(&format!("/api/v1/chats/{}/messages", demo.chat("Математика 5А")), Some(&student))
        .await
        .parse();
    for message in &page.messages {
        let author = message.author.as_ref().unwrap();
        assert_eq!(author.teacher_verified, author.name == "Андрей Соколов", "{author:?}");
    }
}

#[tokio::test]
async fn a_declined_teacher_may_ask_again() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let orlov = server.sign_in(demo::ORLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(teacher_status(&demo, &orlov).await, Some(TeacherStatus::Pending));
    let waiting: Vec<TeacherVerification> =
        server.get(&demo.school_path("/teacher-verifications"), Some(&admin)).await.parse();
    let declined: TeacherVerification = server
        .post(&format!("/api/v1/teacher-verifications/{}/decline", waiting[0].id), json!({}), Some(&admin))
        .await
        .parse();
    assert_eq!(declined.status, TeacherStatus::Declined);
    assert_eq!(teacher_status(&demo, &orlov).await, Some(TeacherStatus::Declined));

    let asked: TeacherVerification =
        server.post(&demo.school_path("/teacher-verification"), json!({}), Some(&orlov)).await.parse();
    assert_eq!(asked.status, TeacherStatus::Pending);
    assert_ne!(asked.id, declined.id);
    assert_eq!(teacher_status(&demo, &orlov).await, Some(TeacherStatus::Pending));
}

#[tokio::test]
async fn only_the_schools_own_people_see_its_verifications() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let now = server.state.clock.unix();
    parta_server::schools::create(&server.state.db, "Гимназия № 1", None, "+79005550000", now).await.unwrap();
    let stranger = server.sign_up("+79005550000", "Пётр", "Васильев").await;
    server
        .get(&demo.school_path("/teacher-verifications"), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .post(&demo.school_path("/teacher-verification"), json!({}), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let orlovs: i64 = sqlx::query_scalar("SELECT id FROM teacher_verifications WHERE status = 'pending'")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    server
        .post(&format!("/api/v1/teacher-verifications/{orlovs}/approve"), json!({}), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The demo's confirmed teachers carry the badge, parents do not.
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let page: api::MessagePage = server
        .get(&format!("/api/v1/chats/{}/messages", demo.chat("Родители 5А")), Some(&parent))
        .await
        .parse();
    let badges: Vec<(String, bool)> = page
        .messages
        .iter()
        .filter_map(|m| m.author.as_ref())
        .map(|a| (a.name.clone(), a.teacher_verified))
        .collect();
    assert!(badges.contains(&("Елена Кузнецова".into(), true)), "{badges:?}");
    assert!(badges.contains(&("Светлана Лебедева".into(), false)), "{badges:?}");
}

#[tokio::test]
async fn the_teacher_and_the_administrators_hear_of_it_live() {
    use crate::events::{connect, listen, next_event};
    use api::ServerEvent;

    let demo = Demo::new().await;
    let server = &demo.server;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    let url = listen(server).await;
    let mut teacher_socket = connect(&url, &sokolov).await;
    assert!(matches!(next_event(&mut teacher_socket).await, ServerEvent::Hello { .. }));
    let mut admin_socket = connect(&url, &admin).await;
    assert!(matches!(next_event(&mut admin_socket).await, ServerEvent::Hello { .. }));

    let asked: TeacherVerification =
        server.post(&demo.school_path("/teacher-verification"), json!({}), Some(&sokolov)).await.parse();
    let school_id = demo.school_id;
    assert_eq!(next_event(&mut admin_socket).await, ServerEvent::DecisionsChanged { school_id });
    let approve = format!("/api/v1/teacher-verifications/{}/approve", asked.id);
    assert_eq!(server.post(&approve, json!({}), Some(&admin)).await.status, StatusCode::OK);
    assert_eq!(next_event(&mut teacher_socket).await, ServerEvent::MembershipsChanged);
    server.state.shutdown.cancel();
}

#[tokio::test]
async fn an_administrator_confirms_every_waiting_teacher_at_once() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let orlov = server.sign_in(demo::ORLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    server.post(&demo.school_path("/teacher-verification"), json!({}), Some(&sokolov)).await;
    let waiting: Vec<TeacherVerification> =
        server.get(&demo.school_path("/teacher-verifications"), Some(&admin)).await.parse();
    let mut ids: Vec<i64> = waiting.iter().map(|v| v.id).collect();
    assert_eq!(ids.len(), 2);
    // An id that is nobody's is passed over, not an error.
    ids.push(999_999);
    let approve = demo.school_path("/teacher-verifications/approve");

    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let reply = server.post(&approve, json!({ "ids": ids }), Some(&kuznetsova)).await;
    reply.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let bad = server.post(&approve, json!({ "ids": "all" }), Some(&admin)).await;
    assert!(bad.status.is_client_error(), "{}", bad.status);

    let done: api::Affected = server.post(&approve, json!({ "ids": ids }), Some(&admin)).await.parse();
    assert_eq!(done.count, 2);
    for cookie in [&sokolov, &orlov] {
        assert_eq!(teacher_status(&demo, cookie).await, Some(TeacherStatus::Verified));
    }
    let again: api::Affected = server.post(&approve, json!({ "ids": ids }), Some(&admin)).await.parse();
    assert_eq!(again.count, 0, "nothing waits any more");
    let left: Vec<TeacherVerification> =
        server.get(&demo.school_path("/teacher-verifications"), Some(&admin)).await.parse();
    assert!(left.is_empty());
}

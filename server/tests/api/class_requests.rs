//! Issue 12, item 11: a teacher with no class asks the administrators for one, and a class teacher
//! invites every student's parents of the class in one step.

use api::{ClassParentInvites, ClassRequest, ClassRequestStatus, JoinOutcome, Role};
use axum::http::StatusCode;
use serde_json::json;

use crate::support::{Demo, demo};

async fn pending_decisions(demo: &Demo, cookie: &str) -> u32 {
    let me: api::Me = demo.server.get("/api/v1/me", Some(cookie)).await.parse();
    me.schools[0].pending_decisions
}

#[tokio::test]
async fn a_teacher_without_a_class_asks_and_an_administrator_assigns_one() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let orlov = server.sign_in(demo::ORLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    let mine = demo.school_path("/class-request");
    let list = demo.school_path("/class-requests");
    let before = pending_decisions(&demo, &admin).await;

    let none: Vec<ClassRequest> = server.get(&mine, Some(&orlov)).await.parse();
    assert!(none.is_empty());
    let asked: ClassRequest = server.post(&mine, json!({}), Some(&orlov)).await.parse();
    assert_eq!((asked.status, asked.teacher.name.as_str()), (ClassRequestStatus::Pending, "Игорь Орлов"));
    let again: ClassRequest = server.post(&mine, json!({}), Some(&orlov)).await.parse();
    assert_eq!(again, asked, "asking twice changes nothing");
    let shown: Vec<ClassRequest> = server.get(&mine, Some(&orlov)).await.parse();
    assert_eq!(shown, std::slice::from_ref(&asked));

    // The administrators see it, and count it among their decisions.
    let waiting: Vec<ClassRequest> = server.get(&list, Some(&admin)).await.parse();
    assert_eq!(waiting, std::slice::from_ref(&asked));
    assert_eq!(pending_decisions(&demo, &admin).await, before + 1);

    // Assigning him to a class grants it.
    let class_id = demo.class("5Б");
    let assigned = server
        .put(&format!("/api/v1/classes/{class_id}/teachers/{}", asked.teacher.id), json!({}), Some(&admin))
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    let shown: Vec<ClassRequest> = server.get(&mine, Some(&orlov)).await.parse();
    assert_eq!(shown[0].status, ClassRequestStatus::Assigned);
    assert!(shown[0].decided_at.is_some());
    let waiting: Vec<ClassRequest> = server.get(&list, Some(&admin)).await.parse();
    assert!(waiting.is_empty());
    assert_eq!(pending_decisions(&demo, &admin).await, before);
}

#[tokio::test]
async fn an_administrator_declines_and_the_teacher_may_ask_again() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let admin = server.sign_in(demo::ADMIN).await;
    let mine = demo.school_path("/class-request");
    let asked: ClassRequest = server.post(&mine, json!({}), Some(&sokolov)).await.parse();
    let decline = format!("/api/v1/class-requests/{}/decline", asked.id);

    // Only an administrator of the school decides: to anyone else the request does not exist.
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    server
        .post(&decline, json!({}), Some(&kuznetsova))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server.post(&decline, json!({}), Some(&sokolov)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let stranger = demo.newcomer("+79001110009", "Пётр", "Чужой").await;
    server.post(&decline, json!({}), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .post("/api/v1/class-requests/999999/decline", json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let declined: ClassRequest = server.post(&decline, json!({}), Some(&admin)).await.parse();
    assert_eq!(declined.status, ClassRequestStatus::Declined);
    server
        .post(&decline, json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::CONFLICT, "already_decided");
    let asked_again: ClassRequest = server.post(&mine, json!({}), Some(&sokolov)).await.parse();
    assert_ne!(asked_again.id, asked.id);
    assert_eq!(asked_again.status, ClassRequestStatus::Pending);
}

#[tokio::test]
async fn only_a_teacher_asks_and_only_an_administrator_lists() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let mine = demo.school_path("/class-request");
    let list = demo.school_path("/class-requests");
    for phone in [demo::LEBEDEV, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        server.post(&mine, json!({}), Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
        server.get(&mine, Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
        server.get(&list, Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let orlov = server.sign_in(demo::ORLOV).await;
    server.get(&list, Some(&orlov)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    // Someone of no school, or another school's id: as if there were none.
    let stranger = demo.newcomer("+79001110009", "Пётр", "Чужой").await;
    server.post(&mine, json!({}), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server.get(&list, Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let admin = server.sign_in(demo::ADMIN).await;
    server
        .get("/api/v1/schools/999999/class-requests", Some(&admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_class_teacher_invites_every_students_parents_at_once() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let path = format!("/api/v1/classes/{}/parent-invites", demo.class("5А"));

    let reply = server.post(&path, json!({}), Some(&kuznetsova)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let made: ClassParentInvites = reply.parse();
    let children: Vec<&str> =
        made.invites.iter().map(|c| c.invite.child.as_ref().unwrap().name.as_str()).collect();
    assert_eq!(children, ["Дмитрий Волков", "Михаил Лебедев", "Анна Смирнова"], "by last name");
    assert_eq!(made.skipped, 0);
    for created in &made.invites {
        assert_eq!(
            (created.invite.role, created.invite.max_uses, created.invite.requires_approval),
            (Role::Parent, Some(1), false)
        );
    }

    // A parent joins through one: the next time, that student is skipped.
    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    let joined = demo.join(&made.invites[0].token, &parent, json!({})).await;
    assert!(matches!(joined.parse(), JoinOutcome::Joined { .. }), "{}", joined.text());
    let again: ClassParentInvites = server.post(&path, json!({}), Some(&kuznetsova)).await.parse();
    assert_eq!((again.invites.len(), again.skipped), (2, 1));
}

#[tokio::test]
async fn only_the_class_staff_invite_a_class_s_parents() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let path = format!("/api/v1/classes/{}/parent-invites", demo.class("5А"));
    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(server.post(&path, json!({}), Some(&admin)).await.status, StatusCode::CREATED);
    // Another class's teacher, a teacher with no class, a student, a parent: forbidden.
    for phone in [demo::BELOVA, demo::ORLOV, demo::LEBEDEV, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        server.post(&path, json!({}), Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Someone of no school, a class that does not exist: not found.
    let stranger = demo.newcomer("+79001110009", "Пётр", "Чужой").await;
    server.post(&path, json!({}), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .post("/api/v1/classes/999999/parent-invites", json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

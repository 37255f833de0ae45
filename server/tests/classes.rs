//! Classes made by `classes::create_class` (the `add-class` command): the class, its two chats, and
//! invites into it working through the HTTP API.

#![allow(dead_code)]

#[path = "api/support.rs"]
mod support;

use api::{ChatKind, CreatedInvite, InviteTargetOption, JoinOutcome};
use axum::http::StatusCode;
use parta_server::classes::{self, CreateClassError};
use parta_server::schools;
use serde_json::json;

use support::TestServer;

#[tokio::test]
async fn a_class_comes_with_its_class_chat_and_parents_chat() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    let school = schools::create(db, "Гимназия № 1", None, "+79005551234", now).await.unwrap();

    let created = classes::create_class(db, school.school_id, " 5А ", Some(5), now).await.unwrap();
    assert_eq!(created.name, "5А");
    assert_eq!(created.grade, Some(5));

    let class: (i64, String, Option<i64>, String) =
        sqlx::query_as("SELECT school_id, name, grade, kind FROM classes WHERE id = ?")
            .bind(created.class_id)
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(class, (school.school_id, "5А".into(), Some(5), "class".into()));

    let chats: Vec<(i64, String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, title, kind, class_id FROM chats WHERE class_id = ? ORDER BY id")
            .bind(created.class_id)
            .fetch_all(db)
            .await
            .unwrap();
    assert_eq!(
        chats,
        [
            (created.class_chat_id, "5А".into(), ChatKind::Class.as_str().into(), Some(created.class_id)),
            (
                created.parents_chat_id,
                "Родители 5А".into(),
                ChatKind::Parents.as_str().into(),
                Some(created.class_id)
            ),
        ]
    );
    let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chat_members WHERE chat_id IN (?, ?)")
        .bind(created.class_chat_id)
        .bind(created.parents_chat_id)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(members, 0, "people join a class's chats through invites");
}

#[tokio::test]
async fn a_class_needs_a_school_a_free_name_and_a_real_grade() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    let school = schools::create(db, "Гимназия № 1", None, "+79005551234", now).await.unwrap();
    classes::create_class(db, school.school_id, "5А", None, now).await.unwrap();

    let taken = classes::create_class(db, school.school_id, "5а", None, now).await;
    assert!(matches!(taken, Err(CreateClassError::Taken(name)) if name == "5а"));
    let staff_room = classes::create_class(db, school.school_id, "Учительская", None, now).await;
    assert!(matches!(staff_room, Err(CreateClassError::Taken(_))));
    assert!(matches!(
        classes::create_class(db, school.school_id, "  ", None, now).await,
        Err(CreateClassError::NoName)
    ));
    assert!(matches!(
        classes::create_class(db, school.school_id, &"Я".repeat(51), None, now).await,
        Err(CreateClassError::NameTooLong)
    ));
    assert!(matches!(
        classes::create_class(db, school.school_id, "12А", Some(12), now).await,
        Err(CreateClassError::InvalidGrade(12))
    ));
    assert!(matches!(
        classes::create_class(db, school.school_id + 100, "6Б", None, now).await,
        Err(CreateClassError::NoSuchSchool(_))
    ));
    // Another school may have its own 5А.
    let other = schools::create(db, "Лицей № 2", None, "+79005550000", now).await.unwrap();
    classes::create_class(db, other.school_id, "5А", Some(5), now).await.unwrap();
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM classes WHERE kind = 'class'").fetch_one(db).await.unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn invites_lead_into_a_new_classs_chats() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    let school = schools::create(db, "Гимназия № 1", None, "+79005551234", now).await.unwrap();
    let class = classes::create_class(db, school.school_id, "5А", Some(5), now).await.unwrap();
    let admin = server.sign_up("+79005551234", "Ирина", "Белова").await;

    // The administrator may invite teachers, students and parents into the class.
    let targets: Vec<InviteTargetOption> = server
        .get(&format!("/api/v1/schools/{}/invite-targets", school.school_id), Some(&admin))
        .await
        .parse();
    let option = targets
        .iter()
        .find(|o| o.target == api::InviteTarget::Class { class_id: class.class_id })
        .expect("the class is a place to invite to");
    assert_eq!(option.name, "5А");
    assert!(option.roles.contains(&api::Role::Teacher));

    let invite = json!({
        "target": { "kind": "class", "class_id": class.class_id },
        "role": "teacher",
        "expiry": { "kind": "never" },
    });
    let reply =
        server.post(&format!("/api/v1/schools/{}/invites", school.school_id), invite, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let created: CreatedInvite = reply.parse();

    // A teacher joining through it lands in the class chat and is in the parents' chat too.
    let teacher = server.sign_up("+79005552222", "Елена", "Кузнецова").await;
    let reply = server.post(&format!("/api/v1/join/{}", created.token), json!({}), Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let outcome: JoinOutcome = reply.parse();
    assert_eq!(
        outcome,
        JoinOutcome::Joined { school_id: school.school_id, chat_id: Some(class.class_chat_id) }
    );
    let chats: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&teacher)).await.parse();
    let ids: Vec<i64> = chats.iter().map(|c| c.id).collect();
    assert!(ids.contains(&class.class_chat_id), "{ids:?}");
    assert!(ids.contains(&class.parents_chat_id), "{ids:?}");
}

/// `add-class` runs beside a live server. A class created while the server is in the middle of a write
/// must wait for it, not fail with "database is locked" (seen in CI before writes began IMMEDIATE).
#[tokio::test]
async fn a_class_made_while_another_connection_writes_waits_for_it() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    let school = schools::create(db, "Гимназия № 1", None, "+79005551234", now).await.unwrap();

    let mut other_writer = parta_server::db::begin_write(db).await.unwrap();
    sqlx::query("UPDATE schools SET name = name WHERE id = ?")
        .bind(school.school_id)
        .execute(&mut *other_writer)
        .await
        .unwrap();
    let making = tokio::spawn({
        let db = db.clone();
        async move { classes::create_class(&db, school.school_id, "6Б", None, now).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    other_writer.commit().await.unwrap();

    let created = making.await.unwrap().expect("the class is made once the other write is done");
    assert_eq!(created.name, "6Б");
}

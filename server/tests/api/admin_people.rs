use api::{
    AuditAction, JoinOutcome, Membership, PersonCard, PersonStatus, Relative, Role, RoleCount, RosterEntry,
    SchoolStats, ServerEvent, SystemEvent,
};
use axum::http::{Method, StatusCode};
use parta_server::audit::{AuditFilter, audit_entries};
use serde_json::{Value, json};

use crate::events::{connect, listen, next_event};
use crate::support::{Demo, demo, field_problems, invite_body, request};

const DAY: i64 = 24 * 3600;

async fn user_id(demo: &Demo, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = ?")
        .bind(phone)
        .fetch_one(&demo.server.state.db)
        .await
        .unwrap()
}

/// A query value as a URL carries it.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn roster(demo: &Demo, cookie: &str, query: &str) -> Vec<RosterEntry> {
    let reply = demo.server.get(&demo.school_path(&format!("/roster{query}")), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text());
    reply.parse()
}

async fn names(demo: &Demo, cookie: &str, query: &str) -> Vec<String> {
    roster(demo, cookie, query).await.into_iter().map(|person| person.name).collect()
}

async fn card(demo: &Demo, cookie: &str, user_id: i64) -> PersonCard {
    let reply = demo.server.get(&demo.school_path(&format!("/people/{user_id}")), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

/// The id of the person's membership holding `role`.
async fn membership_id(demo: &Demo, admin: &str, user_id: i64, role: Role) -> i64 {
    let card = card(demo, admin, user_id).await;
    card.memberships.iter().find(|m| m.role == role).and_then(|m| m.id).unwrap()
}

async fn change(demo: &Demo, admin: &str, membership_id: i64, body: Value) -> crate::support::Reply {
    demo.server.patch(&demo.school_path(&format!("/memberships/{membership_id}")), body, Some(admin)).await
}

fn class_target(class_id: i64) -> Value {
    json!({ "kind": "class", "class_id": class_id })
}

/// What the newest line of a chat records, as `cookie` reads it.
async fn last_system_line(demo: &Demo, cookie: &str, title: &str) -> Option<SystemEvent> {
    demo.timeline(cookie, title).await.messages.pop().and_then(|m| m.system)
}

/// The texts of a chat's newest page, as `cookie` reads it, with their authors' ids.
async fn texts(demo: &Demo, cookie: &str, title: &str) -> Vec<(Option<i64>, String)> {
    let page = demo.timeline(cookie, title).await;
    page.messages.into_iter().map(|m| (m.author.map(|a| a.id), m.text)).collect()
}

#[tokio::test]
async fn the_roster_lists_members_and_waiting_people_by_last_name() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(
        names(&demo, &admin, "").await,
        [
            "Марина Белова",
            "Дмитрий Волков",
            "Наталья Волкова",
            "Елена Кузнецова",
            "Михаил Лебедев",
            "Светлана Лебедева",
            "Ольга Миронова",
            "Полина Морозова",
            "Игорь Орлов",
            "Алексей Смирнов",
            "Анна Смирнова",
            "Андрей Соколов",
        ]
    );
    let all = roster(&demo, &admin, "").await;
    let kuznetsova = all.iter().find(|p| p.name == "Елена Кузнецова").unwrap();
    assert_eq!((kuznetsova.status, kuznetsova.teacher_verified), (PersonStatus::Active, true));
    let places: Vec<(Option<&str>, Role)> =
        kuznetsova.memberships.iter().map(|m| (m.class_name.as_deref(), m.role)).collect();
    assert_eq!(places, [(Some("Учительская"), Role::Teacher), (Some("5А"), Role::Teacher)]);
    assert!(kuznetsova.memberships.iter().all(|m| m.id.is_some()));

    let invite = json!({ "target": class_target(demo.class("9В")), "role": "parent",
                         "requires_approval": true, "expiry": { "kind": "never" } });
    let created = demo.invite(&admin, invite).await;
    let newcomer = demo.newcomer("+79001110001", "Ирина", "Ёлкина").await;
    let outcome: JoinOutcome =
        demo.join(&created.token, &newcomer, json!({ "child_name": "Маша" })).await.parse();
    assert!(matches!(outcome, JoinOutcome::Pending { .. }), "{outcome:?}");
    let waiting = roster(&demo, &admin, "?status=pending").await;
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].name.as_str(), waiting[0].status), ("Ирина Ёлкина", PersonStatus::Pending));
    assert_eq!(
        waiting[0].memberships,
        [Membership {
            id: None,
            role: Role::Parent,
            class_id: Some(demo.class("9В")),
            class_name: Some("9В".into())
        }]
    );

    let in_5a = demo.class("5А");
    assert_eq!(
        names(&demo, &admin, &format!("?role=parent&class_id={in_5a}")).await,
        ["Наталья Волкова", "Светлана Лебедева", "Алексей Смирнов"]
    );
    assert_eq!(names(&demo, &admin, &format!("?role=teacher&class_id={in_5a}")).await, ["Елена Кузнецова"]);
    assert_eq!(
        names(&demo, &admin, &format!("?class_id={}", demo.class("9В"))).await,
        ["Марина Белова", "Ирина Ёлкина", "Полина Морозова"],
        "waiting people are in their class, «Ё» sorted as «Е»"
    );
    assert_eq!(names(&demo, &admin, "?status=unverified").await, ["Игорь Орлов", "Андрей Соколов"]);
    assert_eq!(names(&demo, &admin, "?status=active&role=admin").await, ["Ольга Миронова"]);
    assert_eq!(
        names(&demo, &admin, &format!("?q={}", encoded("ЛЕБ"))).await,
        ["Михаил Лебедев", "Светлана Лебедева"]
    );
    assert_eq!(names(&demo, &admin, &format!("?q={}", encoded("елк"))).await, ["Ирина Ёлкина"]);
    assert_eq!(names(&demo, &admin, &format!("?q={}", encoded("свет леб"))).await, ["Светлана Лебедева"]);
    assert_eq!(
        names(&demo, &admin, &format!("?role=student&q={}", encoded("м"))).await,
        ["Михаил Лебедев", "Полина Морозова"]
    );
    assert!(names(&demo, &admin, &format!("?q={}", encoded("едев"))).await.is_empty(), "word starts only");
    assert_eq!(
        names(&demo, &admin, "?role=&class_id=&status=&q=").await.len(),
        13,
        "empty values: no filter"
    );

    let other =
        parta_server::schools::create(&server.state.db, "Лицей № 1", None, "+79005550000", 0).await.unwrap();
    for query in ["?role=boss", "?status=gone", "?class_id=abc", "?class_id=999999"]
        .into_iter()
        .map(String::from)
        .chain([format!("?class_id={}", other.staff_room_id)])
    {
        let reply = server.get(&demo.school_path(&format!("/roster{query}")), Some(&admin)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "bad_request");
        assert!(reply.json()["message"].as_str().unwrap().contains(':'), "{query}: {}", reply.text());
    }
}

#[tokio::test]
async fn a_persons_card_shows_their_family_how_they_joined_and_what_was_done() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let child = server.sign_in(demo::LEBEDEV).await;
    let lebedev = user_id(&demo, demo::LEBEDEV).await;
    let reply = server
        .post(&demo.school_path(&format!("/students/{lebedev}/parent-invite")), json!({}), Some(&child))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let for_parent: api::CreatedInvite = reply.parse();
    let father = demo.newcomer("+79001110001", "Олег", "Лебедев").await;
    let joined: JoinOutcome = demo.join(&for_parent.token, &father, json!({})).await.parse();
    assert!(matches!(joined, JoinOutcome::Joined { .. }), "{joined:?}");
    let father_id = user_id(&demo, "+79001110001").await;

    let card_of_father = card(&demo, &admin, father_id).await;
    assert_eq!((card_of_father.name.as_str(), card_of_father.status), ("Олег Лебедев", PersonStatus::Active));
    assert_eq!(
        card_of_father.children,
        [Relative {
            id: lebedev, name: "Михаил Лебедев".into(), class_name: Some("5А".into())
        }]
    );
    assert!(card_of_father.parents.is_empty());
    let joined_at = card_of_father.joined_at.as_deref().and_then(parta_server::clock::parse_rfc3339).unwrap();
    assert!((server.state.clock.unix() - joined_at).abs() <= 2, "joined just now");
    assert_eq!(card_of_father.joined_by.as_deref(), Some("5А"), "an unlabelled invite: its target");
    assert!(card_of_father.history.is_empty());
    let card_of_child = card(&demo, &admin, lebedev).await;
    assert_eq!(
        card_of_child.parents,
        [Relative { id: father_id, name: "Олег Лебедев".into(), class_name: Some("5А".into()) }]
    );
    let seeded: i64 = sqlx::query_scalar("SELECT created_at FROM memberships WHERE user_id = ?")
        .bind(lebedev)
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(card_of_child.joined_at, Some(parta_server::clock::rfc3339(seeded)));
    assert_eq!(card_of_child.joined_by, None, "added without an invite");

    let mut labelled = invite_body(class_target(demo.class("9В")), "parent");
    labelled["label"] = json!("Собрание 9В");
    let created = demo.invite(&admin, labelled).await;
    let mother = demo.newcomer("+79001110002", "Вера", "Павлова").await;
    demo.join(&created.token, &mother, json!({})).await;
    let mother_id = user_id(&demo, "+79001110002").await;
    assert_eq!(card(&demo, &admin, mother_id).await.joined_by.as_deref(), Some("Собрание 9В"));

    let membership = membership_id(&demo, &admin, mother_id, Role::Parent).await;
    let moved = change(&demo, &admin, membership, json!({ "class_id": demo.class("5А") })).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    let history = card(&demo, &admin, mother_id).await.history;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, AuditAction::StudentMoved);
    assert_eq!(history[0].actor.as_ref().map(|a| a.name.as_str()), Some("Ольга Миронова"));
    assert_eq!(history[0].subject.as_ref().map(|s| s.id), Some(mother_id));
    assert_eq!(
        (history[0].class_name.as_deref(), history[0].from.as_deref(), history[0].to.as_deref()),
        (Some("5А"), Some("9В"), Some("5А"))
    );

    for missing in [999_999, other_school_member(&demo).await] {
        server
            .get(&demo.school_path(&format!("/people/{missing}")), Some(&admin))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
}

/// The administrator of another school, with a complete profile; returns their id.
async fn other_school_member(demo: &Demo) -> i64 {
    let db = &demo.server.state.db;
    let now = demo.server.state.clock.unix();
    parta_server::schools::create(db, "Лицей № 1", None, "+79005550000", now).await.unwrap().admin_id
}

#[tokio::test]
async fn changing_a_role_moves_the_person_between_chats_and_keeps_what_they_wrote() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let student = server.sign_in(demo::LEBEDEV).await;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let lebedev = user_id(&demo, demo::LEBEDEV).await;
    assert_eq!(
        demo.chats_of(&student).await,
        [("5А".into(), true), ("Математика 5А".into(), true), ("Общий канал".into(), false)]
    );
    let membership = membership_id(&demo, &admin, lebedev, Role::Student).await;

    let reply = change(&demo, &admin, membership, json!({ "role": "parent" })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let changed: Membership = reply.parse();
    assert_eq!(
        changed,
        Membership {
            id: Some(membership),
            role: Role::Parent,
            class_id: Some(demo.class("5А")),
            class_name: Some("5А".into())
        }
    );
    assert_eq!(demo.chats_of(&student).await, [("Общий канал".into(), false), ("Родители 5А".into(), true)]);
    let maths = texts(&demo, &sokolov, "Математика 5А").await;
    assert!(maths.contains(&(Some(lebedev), "Андрей Павлович, в номере 247 ответ нужно сокращать?".into())));
    assert_eq!(maths.last().unwrap(), &(None, "Михаил Лебедев — больше не участник чата".into()));
    let parents = texts(&demo, &student, "Родители 5А").await;
    assert_eq!(parents.last().unwrap(), &(None, "Михаил Лебедев — новый участник чата".into()));
    let name = || "Михаил Лебедев".to_string();
    assert_eq!(
        last_system_line(&demo, &sokolov, "Математика 5А").await,
        Some(SystemEvent::MemberRemoved { user_id: Some(lebedev), name: name() })
    );
    assert_eq!(
        last_system_line(&demo, &student, "Родители 5А").await,
        Some(SystemEvent::MemberJoined { user_id: Some(lebedev), name: name() })
    );
    let in_5a = demo.class("5А");
    assert!(
        !names(&demo, &admin, &format!("?role=student&class_id={in_5a}"))
            .await
            .contains(&"Михаил Лебедев".into())
    );
    assert!(
        names(&demo, &admin, &format!("?role=parent&class_id={in_5a}"))
            .await
            .contains(&"Михаил Лебедев".into())
    );
    let history = card(&demo, &admin, lebedev).await.history;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].action,
            history[0].from.as_deref(),
            history[0].to.as_deref(),
            history[0].class_name.as_deref()
        ),
        (AuditAction::RoleChanged, Some("student"), Some("parent"), Some("5А"))
    );

    let same = change(&demo, &admin, membership, json!({ "role": "parent", "class_id": in_5a })).await;
    assert_eq!(same.parse::<Membership>(), changed, "nothing to change");
    assert_eq!(card(&demo, &admin, lebedev).await.history.len(), 1, "and nothing written");

    let staff_room: i64 = sqlx::query_scalar("SELECT id FROM classes WHERE kind = 'staff_room'")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    let problems = [
        (json!({ "role": "admin" }), ("role", "not_allowed")),
        (json!({ "class_id": staff_room }), ("class_id", "not_allowed")),
        (json!({ "class_id": 999_999 }), ("class_id", "not_allowed")),
    ];
    for (body, (field, problem)) in problems {
        let reply = change(&demo, &admin, membership, body).await;
        assert_eq!(field_problems(&reply), [(field.into(), problem.into())]);
    }
    sqlx::query("UPDATE classes SET archived_at = 1 WHERE id = ?")
        .bind(demo.class("5Б"))
        .execute(&server.state.db)
        .await
        .unwrap();
    let archived = change(&demo, &admin, membership, json!({ "class_id": demo.class("5Б") })).await;
    assert_eq!(field_problems(&archived), [("class_id".into(), "not_allowed".into())]);
    change(&demo, &admin, 999_999, json!({ "role": "student" }))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    change(&demo, &admin, membership, json!({ "class_id": "5А" }))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_request");

    // Кузнецова teaches 5А and is in «Учительская» already: the two would be one.
    let kuznetsova = user_id(&demo, demo::KUZNETSOVA).await;
    let her_class = card(&demo, &admin, kuznetsova)
        .await
        .memberships
        .into_iter()
        .find(|m| m.class_id == Some(in_5a))
        .and_then(|m| m.id)
        .unwrap();
    change(&demo, &admin, her_class, json!({ "class_id": staff_room }))
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
    let admin_id = user_id(&demo, demo::ADMIN).await;
    let admins = membership_id(&demo, &admin, admin_id, Role::Admin).await;
    change(&demo, &admin, admins, json!({ "role": "teacher" }))
        .await
        .assert_error(StatusCode::CONFLICT, "conflict");
}

#[tokio::test]
async fn a_student_moved_to_another_class_changes_chats_and_hears_it() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let morozova = server.sign_in(demo::MOROZOVA).await;
    let morozova_id = user_id(&demo, demo::MOROZOVA).await;
    let url = listen(server).await;
    let mut socket = connect(&url, &morozova).await;
    assert!(matches!(next_event(&mut socket).await, ServerEvent::Hello { .. }));

    let membership = membership_id(&demo, &admin, morozova_id, Role::Student).await;
    let moved = change(&demo, &admin, membership, json!({ "class_id": demo.class("5А") })).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    assert_eq!(next_event(&mut socket).await, ServerEvent::MembershipsChanged);
    assert_eq!(
        demo.chats_of(&morozova).await,
        [("5А".into(), true), ("Математика 5А".into(), true), ("Общий канал".into(), false)]
    );
    let class_chat = texts(&demo, &morozova, "5А").await;
    assert_eq!(class_chat.last().unwrap(), &(None, "Полина Морозова — новый участник чата".into()));
    let history = card(&demo, &admin, morozova_id).await.history;
    assert_eq!(
        (history[0].action, history[0].from.as_deref(), history[0].to.as_deref()),
        (AuditAction::StudentMoved, Some("9В"), Some("5А"))
    );

    // Out of 5А, whose chats keep what he wrote.
    let lebedev = server.sign_in(demo::LEBEDEV).await;
    let lebedev_id = user_id(&demo, demo::LEBEDEV).await;
    let membership = membership_id(&demo, &admin, lebedev_id, Role::Student).await;
    let moved = change(&demo, &admin, membership, json!({ "class_id": demo.class("9В") })).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text());
    assert_eq!(demo.chats_of(&lebedev).await, [("Общий канал".into(), false)]);
    let maths = texts(&demo, &morozova, "Математика 5А").await;
    assert!(
        maths.contains(&(Some(lebedev_id), "Андрей Павлович, в номере 247 ответ нужно сокращать?".into()))
    );
}

#[tokio::test]
async fn removing_someone_takes_them_out_of_the_school() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let admin_id = user_id(&demo, demo::ADMIN).await;
    let path = |user_id: i64| demo.school_path(&format!("/people/{user_id}"));
    server.delete(&path(admin_id), Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    server.delete(&path(999_999), Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    let smirnov = server.sign_in(demo::SMIRNOV).await;
    let smirnov_id = user_id(&demo, demo::SMIRNOV).await;
    let removed = server.delete(&path(smirnov_id), Some(&admin)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text());
    assert!(demo.chats_of(&smirnov).await.is_empty());
    let me: api::Me = server.get("/api/v1/me", Some(&smirnov)).await.parse();
    assert!(me.schools.is_empty());
    assert!(!names(&demo, &admin, "").await.contains(&"Алексей Смирнов".into()));
    server.get(&path(smirnov_id), Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server.delete(&path(smirnov_id), Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let parents = texts(&demo, &kuznetsova, "Родители 5А").await;
    assert!(parents.contains(&(Some(smirnov_id), "Анна поедет, подтверждаю.".into())), "what he wrote stays");
    assert_eq!(parents.last().unwrap(), &(None, "Алексей Смирнов — больше не участник чата".into()));
    assert_eq!(
        last_system_line(&demo, &kuznetsova, "Родители 5А").await,
        Some(SystemEvent::MemberRemoved {
            user_id: Some(smirnov_id), name: "Алексей Смирнов".into()
        })
    );
    let filter = AuditFilter { action: Some(AuditAction::MemberRemoved), ..AuditFilter::default() };
    let removals = audit_entries(&server.state.db, demo.school_id, filter).await.unwrap();
    assert_eq!(removals.len(), 1);
    assert_eq!(removals[0].subject.as_ref().map(|s| s.name.as_str()), Some("Алексей Смирнов"));
    assert_eq!(removals[0].actor.as_ref().map(|a| a.id), Some(admin_id));

    // Someone whose request waits is removed with it.
    let invite = json!({ "target": class_target(demo.class("9В")), "role": "student",
                         "requires_approval": true, "expiry": { "kind": "never" } });
    let created = demo.invite(&admin, invite).await;
    let newcomer = demo.newcomer("+79001110001", "Юрий", "Новиков").await;
    demo.join(&created.token, &newcomer, json!({})).await;
    let newcomer_id = user_id(&demo, "+79001110001").await;
    assert_eq!(server.delete(&path(newcomer_id), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert!(roster(&demo, &admin, "?status=pending").await.is_empty());
    let requests: Vec<api::JoinRequest> =
        server.get(&demo.school_path("/join-requests"), Some(&admin)).await.parse();
    assert!(requests.is_empty());
}

#[tokio::test]
async fn administrators_are_appointed_from_teachers_and_the_last_one_stays() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let admin_id = user_id(&demo, demo::ADMIN).await;
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let sokolov_id = user_id(&demo, demo::SOKOLOV).await;
    let path = |user_id: i64| demo.school_path(&format!("/admins/{user_id}"));

    let lebedev = user_id(&demo, demo::LEBEDEV).await;
    server.put(&path(lebedev), json!({}), Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    server
        .put(&path(999_999), json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server.delete(&path(admin_id), Some(&admin)).await.assert_error(StatusCode::CONFLICT, "last_admin");

    for _ in 0..2 {
        let appointed = server.put(&path(sokolov_id), json!({}), Some(&admin)).await;
        assert_eq!(appointed.status, StatusCode::NO_CONTENT, "{}", appointed.text());
    }
    let me: api::Me = server.get("/api/v1/me", Some(&sokolov)).await.parse();
    assert_eq!(me.schools[0].roles, [Role::Admin, Role::Teacher]);
    assert_eq!(
        demo.chats_of(&sokolov).await,
        [
            ("5А".into(), true),
            ("Математика 5А".into(), true),
            ("Общий канал".into(), true),
            ("Сотрудники".into(), true),
            ("Учительская".into(), true),
        ]
    );
    assert_eq!(server.get(&demo.school_path("/roster"), Some(&sokolov)).await.status, StatusCode::OK);

    // Миронова has no other role to keep: she would leave the school.
    server.delete(&path(admin_id), Some(&sokolov)).await.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(server.delete(&path(sokolov_id), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        server.delete(&path(sokolov_id), Some(&admin)).await.status,
        StatusCode::NO_CONTENT,
        "no longer one"
    );
    assert_eq!(
        demo.chats_of(&sokolov).await,
        [
            ("5А".into(), true),
            ("Математика 5А".into(), true),
            ("Общий канал".into(), false),
            ("Сотрудники".into(), false),
            ("Учительская".into(), true),
        ],
        "a teacher again: reading the channels, still in «Учительская»"
    );
    server
        .get(&demo.school_path("/roster"), Some(&sokolov))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let actions: Vec<AuditAction> =
        card(&demo, &admin, sokolov_id).await.history.into_iter().map(|entry| entry.action).collect();
    assert_eq!(actions, [AuditAction::AdminRemoved, AuditAction::AdminAppointed]);

    // A class's teacher outside «Учительская» joins it as an administrator, and leaves it after.
    let belova = server.sign_in(demo::BELOVA).await;
    let belova_id = user_id(&demo, demo::BELOVA).await;
    sqlx::query(
        "DELETE FROM memberships WHERE user_id = ? AND class_id = (SELECT id FROM classes WHERE kind = 'staff_room')",
    )
    .bind(belova_id)
    .execute(&server.state.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM chat_members WHERE user_id = ? AND chat_id = ?")
        .bind(belova_id)
        .bind(demo.chat("Учительская"))
        .execute(&server.state.db)
        .await
        .unwrap();
    assert_eq!(server.put(&path(belova_id), json!({}), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert!(demo.chats_of(&belova).await.contains(&("Учительская".into(), true)));
    let staff = texts(&demo, &admin, "Учительская").await;
    assert_eq!(staff.last().unwrap(), &(None, "Марина Белова — новый участник чата".into()));
    assert_eq!(
        last_system_line(&demo, &admin, "Учительская").await,
        Some(SystemEvent::MemberJoined {
            user_id: Some(belova_id), name: "Марина Белова".into()
        })
    );
    assert_eq!(server.delete(&path(belova_id), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert!(!demo.chats_of(&belova).await.iter().any(|(title, _)| title == "Учительская"));
}

#[tokio::test]
async fn statistics_count_people_classes_activity_and_messages() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let db = &server.state.db;
    sqlx::query("UPDATE classes SET size = 25 WHERE id = ?")
        .bind(demo.class("5А"))
        .execute(db)
        .await
        .unwrap();
    sqlx::query("UPDATE classes SET archived_at = 1 WHERE id = ?")
        .bind(demo.class("5Б"))
        .execute(db)
        .await
        .unwrap();
    // Six weeks on, the demo's messages are out of the window (and its sessions over).
    server.state.clock.advance(42 * DAY);
    let admin = server.sign_in(demo::ADMIN).await;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    server.get("/api/v1/me", Some(&admin)).await;
    demo.post_message(&kuznetsova, "5А", "Завтра контрольная").await;
    demo.post_message(&kuznetsova, "Родители 5А", "Собрание в среду").await;
    // Someone of another school is active too, and is not counted.
    let now = server.state.clock.unix();
    parta_server::schools::create(db, "Лицей № 1", None, "+79005550000", now).await.unwrap();
    let other = server.sign_up("+79005550000", "Пётр", "Иванов").await;
    server.get("/api/v1/me", Some(&other)).await;
    let yesterday = server.state.clock.now().date();

    server.state.clock.advance(DAY);
    let student = server.sign_in(demo::LEBEDEV).await;
    demo.post_message(&student, "5А", "Хорошо").await;
    let reply = server.get(&demo.school_path("/stats"), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let stats: SchoolStats = reply.parse();

    let count = |role, count| RoleCount { role, count };
    assert_eq!(
        stats.members_by_role,
        [count(Role::Admin, 1), count(Role::Teacher, 4), count(Role::Student, 4), count(Role::Parent, 3)]
    );
    let classes: Vec<(&str, Option<u32>, u32, u32)> =
        stats.classes.iter().map(|c| (c.name.as_str(), c.size, c.students, c.parents)).collect();
    assert_eq!(classes, [("5А", Some(25), 3, 3), ("9В", None, 1, 0)]);
    assert_eq!(stats.classes[0].class_id, demo.class("5А"));

    let today = server.state.clock.now().date();
    let days = |series: &[api::DayCount]| series.iter().map(|d| d.day.clone()).collect::<Vec<_>>();
    let expected_days: Vec<String> =
        (0..30).rev().map(|back| parta_server::clock::iso_date(today - time::Duration::days(back))).collect();
    assert_eq!(days(&stats.active_per_day), expected_days);
    assert_eq!(days(&stats.messages_per_day), expected_days);
    let counts = |series: &[api::DayCount]| series.iter().map(|d| d.count).collect::<Vec<_>>();
    let mut active = vec![0; 30];
    active[28] = 2; // the administrator and Кузнецова
    active[29] = 2; // the administrator and Лебедев
    assert_eq!(counts(&stats.active_per_day), active);
    let mut written = vec![0; 30];
    written[28] = 2;
    written[29] = 1;
    assert_eq!(counts(&stats.messages_per_day), written);

    let monday =
        |date: time::Date| date - time::Duration::days(date.weekday().number_days_from_monday().into());
    let expected_weeks: Vec<String> = (0..12)
        .rev()
        .map(|back| parta_server::clock::iso_date(monday(today) - time::Duration::weeks(back)))
        .collect();
    assert_eq!(days(&stats.active_per_week), expected_weeks);
    let mut weekly = vec![0; 12];
    if monday(yesterday) == monday(today) {
        weekly[11] = 3;
    } else {
        weekly[10] = 2;
        weekly[11] = 2;
    }
    assert_eq!(counts(&stats.active_per_week), weekly);
}

#[tokio::test]
async fn activity_is_written_once_a_day_per_person() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    for _ in 0..3 {
        server.get("/api/v1/me", Some(&admin)).await;
    }
    server.state.clock.advance(DAY);
    server.get("/api/v1/me", Some(&admin)).await;
    let days: Vec<String> = sqlx::query_scalar("SELECT day FROM activity_days ORDER BY day")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    let today = server.state.clock.today();
    let yesterday = parta_server::clock::iso_date(server.state.clock.now().date() - time::Duration::days(1));
    assert_eq!(days, [yesterday, today]);
}

/// Every endpoint above, for everyone: only the school's administrators get through.
#[tokio::test]
async fn only_the_schools_administrators_manage_its_people() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let now = server.state.clock.unix();
    parta_server::schools::create(&server.state.db, "Лицей № 1", None, "+79005550000", now).await.unwrap();
    let other_admin = server.sign_up("+79005550000", "Пётр", "Иванов").await;
    let admin = server.sign_in(demo::ADMIN).await;
    let lebedev = user_id(&demo, demo::LEBEDEV).await;
    let sokolov = user_id(&demo, demo::SOKOLOV).await;
    let volkov = user_id(&demo, "+79000000103").await;
    let volkov_membership = membership_id(&demo, &admin, volkov, Role::Student).await;
    let operations = [
        (Method::GET, demo.school_path("/roster?role=student"), None, StatusCode::OK),
        (Method::GET, demo.school_path(&format!("/people/{lebedev}")), None, StatusCode::OK),
        (
            Method::PATCH,
            demo.school_path(&format!("/memberships/{volkov_membership}")),
            Some(json!({ "class_id": demo.class("5А") })),
            StatusCode::OK,
        ),
        (Method::PUT, demo.school_path(&format!("/admins/{sokolov}")), None, StatusCode::NO_CONTENT),
        (Method::DELETE, demo.school_path(&format!("/admins/{sokolov}")), None, StatusCode::NO_CONTENT),
        (Method::DELETE, demo.school_path(&format!("/people/{volkov}")), None, StatusCode::NO_CONTENT),
        (Method::GET, demo.school_path("/stats"), None, StatusCode::OK),
    ];
    let refused = |status: StatusCode, code: &'static str| Some((status, code));
    let callers = [
        (
            "an administrator of another school",
            Some(other_admin),
            refused(StatusCode::NOT_FOUND, "not_found"),
        ),
        ("a teacher", Some(server.sign_in(demo::SOKOLOV).await), refused(StatusCode::FORBIDDEN, "forbidden")),
        (
            "a class teacher",
            Some(server.sign_in(demo::KUZNETSOVA).await),
            refused(StatusCode::FORBIDDEN, "forbidden"),
        ),
        ("a student", Some(server.sign_in(demo::LEBEDEV).await), refused(StatusCode::FORBIDDEN, "forbidden")),
        ("a parent", Some(server.sign_in(demo::LEBEDEVA).await), refused(StatusCode::FORBIDDEN, "forbidden")),
        ("someone signed out", None, refused(StatusCode::UNAUTHORIZED, "unauthenticated")),
        // Last: what they do changes the school.
        ("the administrator", Some(admin), None),
    ];
    for (who, cookie, refusal) in &callers {
        for (method, path, body, allowed) in &operations {
            let reply = server.send(request(method.clone(), path, cookie.as_deref(), body.clone())).await;
            match refusal {
                Some((status, code)) => {
                    assert_eq!(reply.status, *status, "{who}: {method} {path}: {}", reply.text());
                    reply.assert_error(*status, code);
                }
                None => assert_eq!(reply.status, *allowed, "{who}: {method} {path}: {}", reply.text()),
            }
        }
    }
}

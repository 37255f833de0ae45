use api::{CreatedInvite, Invite, InviteState, InviteTarget, InviteTargetOption, Role};
use axum::http::StatusCode;
use serde_json::json;
use sqlx::Row;

use crate::support::{Demo, demo, field_problems, invite_body};

fn class(id: i64) -> serde_json::Value {
    json!({ "kind": "class", "class_id": id })
}

fn chat(id: i64) -> serde_json::Value {
    json!({ "kind": "chat", "chat_id": id })
}

#[tokio::test]
async fn staff_see_where_they_may_invite() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let path = demo.school_path("/invite-targets");

    let admin = server.sign_in(demo::ADMIN).await;
    let targets: Vec<InviteTargetOption> = server.get(&path, Some(&admin)).await.parse();
    let seen: Vec<(InviteTarget, &str, Vec<Role>)> =
        targets.iter().map(|t| (t.target, t.name.as_str(), t.roles.clone())).collect();
    let all = vec![Role::Student, Role::Parent, Role::Teacher];
    assert_eq!(
        seen,
        [
            (InviteTarget::School, "Учительская", vec![Role::Teacher]),
            (InviteTarget::Class { class_id: demo.class("5А") }, "5А", all.clone()),
            (InviteTarget::Class { class_id: demo.class("5Б") }, "5Б", all.clone()),
            (InviteTarget::Class { class_id: demo.class("9В") }, "9В", all.clone()),
            (
                InviteTarget::Chat { chat_id: demo.chat("Математика 5А") },
                "Математика 5А",
                vec![Role::Student]
            ),
        ],
        "no channels: nobody joins them through a link; a class's own chats are the class"
    );
    let mut names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "each place once: «5А» and «Учительская» were offered twice");

    // A class teacher: her class, and the chats of it she is in, never with the teacher role.
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let targets: Vec<InviteTargetOption> = server.get(&path, Some(&kuznetsova)).await.parse();
    let seen: Vec<(InviteTarget, Vec<Role>)> = targets.iter().map(|t| (t.target, t.roles.clone())).collect();
    assert_eq!(
        seen,
        [(InviteTarget::Class { class_id: demo.class("5А") }, vec![Role::Student, Role::Parent]),]
    );

    let orlov = server.sign_in(demo::ORLOV).await;
    let targets: Vec<InviteTargetOption> = server.get(&path, Some(&orlov)).await.parse();
    assert!(targets.is_empty(), "a teacher without a class invites nobody yet");

    for phone in [demo::LEBEDEV, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        server.get(&path, Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let stranger = other_school_admin(&demo).await;
    server.get(&path, Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server.get(&path, None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

/// The administrator of another school, signed in.
async fn other_school_admin(demo: &Demo) -> String {
    let now = demo.server.state.clock.unix();
    parta_server::schools::create(&demo.server.state.db, "Гимназия № 1", None, "+79005550000", now)
        .await
        .unwrap();
    demo.server.sign_up("+79005550000", "Пётр", "Васильев").await
}

#[tokio::test]
async fn only_staff_invite_and_only_where_they_may() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let path = demo.school_path("/invites");
    let to_5a = invite_body(class(demo.class("5А")), "student");

    for phone in [demo::LEBEDEV, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        server
            .post(&path, to_5a.clone(), Some(&cookie))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let stranger = other_school_admin(&demo).await;
    server.post(&path, to_5a.clone(), Some(&stranger)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let to_9v = invite_body(class(demo.class("9В")), "student");
    server.post(&path, to_9v, Some(&kuznetsova)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let maths = invite_body(chat(demo.chat("Математика 5А")), "student");
    server.post(&path, maths, Some(&kuznetsova)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let staff = invite_body(json!({ "kind": "school" }), "teacher");
    server.post(&path, staff, Some(&kuznetsova)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let teacher = invite_body(class(demo.class("5А")), "teacher");
    let refused = server.post(&path, teacher, Some(&kuznetsova)).await;
    assert_eq!(field_problems(&refused), [("role".to_string(), "not_allowed".to_string())]);
    let created = demo.invite(&kuznetsova, to_5a).await;
    assert_eq!(created.invite.created_by.name, "Елена Кузнецова");
    assert!(created.invite.created_by.teacher_verified);

    let admin = server.sign_in(demo::ADMIN).await;
    for missing in [class(999_999), chat(999_999), chat(demo.chat("Общий канал"))] {
        let body = invite_body(missing, "student");
        server.post(&path, body, Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let parent_in_subject_chat = invite_body(chat(demo.chat("Математика 5А")), "parent");
    let refused = server.post(&path, parent_in_subject_chat, Some(&admin)).await;
    assert_eq!(field_problems(&refused), [("role".to_string(), "not_allowed".to_string())]);
    // A class's own chat is the class: invites go to the class.
    let class_chat = invite_body(chat(demo.chat("5А")), "student");
    server.post(&path, class_chat, Some(&admin)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let parents_chat = invite_body(chat(demo.chat("Родители 5А")), "parent");
    let refused = server.post(&path, parents_chat, Some(&kuznetsova)).await;
    refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let staff = demo.invite(&admin, invite_body(json!({ "kind": "school" }), "teacher")).await;
    assert_eq!(staff.invite.target_name, "Учительская");
    assert_eq!(staff.invite.state, InviteState::Active);
}

#[tokio::test]
async fn every_wrong_field_is_named() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let path = demo.school_path("/invites");
    let yesterday = (server.state.clock.now() - time::Duration::days(2)).date();
    let yesterday =
        format!("{:04}-{:02}-{:02}", yesterday.year(), u8::from(yesterday.month()), yesterday.day());
    let target = class(demo.class("5А"));
    let cases = [
        (
            json!({ "target": target, "role": "admin", "label": "я".repeat(101), "max_uses": 0,
                    "expiry": { "kind": "on", "date": yesterday } }),
            vec![
                ("label", "too_long"),
                ("max_uses", "out_of_range"),
                ("expiry", "out_of_range"),
                ("role", "not_allowed"),
            ],
        ),
        (
            json!({ "target": target, "role": "parent", "max_uses": 1001, "expiry": { "kind": "on", "date": "2027-02-30" } }),
            vec![("max_uses", "out_of_range"), ("expiry", "invalid_date")],
        ),
        (
            json!({ "target": target, "role": "parent", "expiry": { "kind": "on", "date": "31.05.2027" } }),
            vec![("expiry", "invalid_date")],
        ),
    ];
    for (body, expected) in cases {
        let reply = server.post(&path, body, Some(&admin)).await;
        let expected: Vec<(String, String)> =
            expected.into_iter().map(|(f, p)| (f.into(), p.into())).collect();
        assert_eq!(field_problems(&reply), expected);
    }

    let body = json!({ "target": target, "role": "parent", "label": format!("  {}  ", "я".repeat(100)),
                       "max_uses": 1000, "expiry": { "kind": "end_of_term" }, "requires_approval": true });
    let created = demo.invite(&admin, body).await.invite;
    assert_eq!(created.label, Some("я".repeat(100)));
    assert_eq!(created.max_uses, Some(1000));
    assert!(created.requires_approval);
    let expires_at = created.expires_at.unwrap();
    assert!(
        expires_at.ends_with("-05-31T20:59:59Z") || expires_at.ends_with("-12-31T20:59:59Z"),
        "{expires_at}"
    );

    // Expiry dates are days in Moscow, which starts the next day at 21:00 UTC.
    let today = server.state.clock.now().to_offset(parta_server::invites::MOSCOW).date();
    let today = format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day());
    let blank = json!({ "target": target, "role": "student", "label": "   ", "expiry": { "kind": "on", "date": today } });
    let created = demo.invite(&admin, blank).await.invite;
    assert_eq!(created.label, None);
    assert!(created.expires_at.is_some());
}

#[tokio::test]
async fn keys_are_shown_once_and_only_their_hashes_are_kept() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let CreatedInvite { invite, token, code } =
        demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    assert_eq!(token.len(), 32, "192 random bits");
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(code.len(), 8);
    assert!(code.bytes().all(|b| api::INVITE_CODE_ALPHABET.contains(&b)));

    let rows = sqlx::query("SELECT * FROM invites WHERE id = ?")
        .bind(invite.id)
        .fetch_all(&demo.server.state.db)
        .await
        .unwrap();
    let row = &rows[0];
    for column in 0..row.len() {
        let value: Option<Vec<u8>> = row.try_get_unchecked(column).unwrap();
        let value = value.unwrap_or_default();
        for secret in [&token, &code] {
            assert!(
                !value.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "column {column} holds a key"
            );
        }
    }
    let (token_hash, code_hash): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT token_hash, code_hash FROM invites WHERE id = ?")
            .bind(invite.id)
            .fetch_one(&demo.server.state.db)
            .await
            .unwrap();
    assert_eq!((token_hash.len(), code_hash.len()), (32, 32));

    let listed: Vec<Invite> = demo.server.get(&demo.school_path("/invites"), Some(&admin)).await.parse();
    let shown = serde_json::to_string(&listed).unwrap();
    assert!(!shown.contains(&token) && !shown.contains(&code), "lists never show keys again");
}

#[tokio::test]
async fn staff_see_the_invites_of_their_places() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let belova = server.sign_in(demo::BELOVA).await;
    let to_5a = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await.invite;
    let to_9v = demo.invite(&admin, invite_body(class(demo.class("9В")), "parent")).await.invite;
    // Made by the administrator into a chat of her class: the class teacher sees it too.
    let to_parents =
        demo.invite(&admin, invite_body(chat(demo.chat("Математика 5А")), "student")).await.invite;
    let to_staff = demo.invite(&admin, invite_body(json!({ "kind": "school" }), "teacher")).await.invite;
    let demo_invite: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM invites").fetch_one(&server.state.db).await.unwrap();

    let ids = async |cookie: &str, query: &str| -> Vec<i64> {
        let reply = server.get(&format!("{}{query}", demo.school_path("/invites")), Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        reply.parse::<Vec<Invite>>().iter().map(|i| i.id).collect()
    };
    assert_eq!(
        ids(&admin, "").await,
        [to_staff.id, to_parents.id, to_9v.id, to_5a.id, demo_invite],
        "newest first"
    );
    assert_eq!(ids(&kuznetsova, "").await, [to_parents.id, to_5a.id, demo_invite]);
    assert_eq!(ids(&belova, "").await, [to_9v.id]);
    let class_5a = demo.class("5А");
    assert_eq!(ids(&admin, &format!("?class_id={class_5a}")).await, [to_5a.id, demo_invite]);
    assert_eq!(ids(&admin, &format!("?chat_id={}", demo.chat("Математика 5А"))).await, [to_parents.id]);
    assert_eq!(ids(&admin, "?target=school").await, [to_staff.id]);
    let bad = server.get(&format!("{}?target=everything", demo.school_path("/invites")), Some(&admin)).await;
    bad.assert_error(StatusCode::BAD_REQUEST, "bad_request");

    let demo_listed: Invite =
        server.get(&format!("/api/v1/invites/{demo_invite}"), Some(&admin)).await.parse();
    assert_eq!(demo_listed.uses, 1);
    assert_eq!(demo_listed.label.as_deref(), Some("Родительское собрание 5А"));
    let one: Invite = server.get(&format!("/api/v1/invites/{}", to_5a.id), Some(&kuznetsova)).await.parse();
    assert_eq!(one, to_5a);
    for (cookie, id) in [(&belova, to_5a.id), (&kuznetsova, to_9v.id), (&kuznetsova, 999_999)] {
        server
            .get(&format!("/api/v1/invites/{id}"), Some(cookie))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let student = server.sign_in(demo::LEBEDEV).await;
    assert!(ids(&student, "").await.is_empty(), "others see only what they created");
}

#[tokio::test]
async fn a_revoked_invite_stops_at_once() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    assert_eq!(demo.preview(&created.token, None).await.status, StatusCode::OK);

    let belova = server.sign_in(demo::BELOVA).await;
    let revoke = format!("/api/v1/invites/{}/revoke", created.invite.id);
    server.post(&revoke, json!({}), Some(&belova)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    // The class's teacher may revoke what the administrator made for her class.
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let revoked: Invite = server.post(&revoke, json!({}), Some(&kuznetsova)).await.parse();
    assert_eq!(revoked.state, InviteState::Revoked);
    demo.preview(&created.token, None).await.assert_error(StatusCode::GONE, "invite_revoked");
    let newcomer = demo.newcomer("+79001110001", "Пётр", "Новиков").await;
    demo.join(&created.code, &newcomer, json!({})).await.assert_error(StatusCode::GONE, "invite_revoked");

    let again: Invite = server.post(&revoke, json!({}), Some(&admin)).await.parse();
    assert_eq!(again, revoked, "revoking twice changes nothing");
}

#[tokio::test]
async fn revoking_the_unused_leaves_the_used_alone() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let unused_5a = demo.invite(&kuznetsova, invite_body(class(demo.class("5А")), "student")).await.invite;
    let used_5a = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    let unused_9v = demo.invite(&admin, invite_body(class(demo.class("9В")), "student")).await.invite;
    let unused_staff = demo.invite(&admin, invite_body(json!({ "kind": "school" }), "teacher")).await.invite;
    let newcomer = demo.newcomer("+79001110001", "Пётр", "Новиков").await;
    assert_eq!(demo.join(&used_5a.token, &newcomer, json!({})).await.status, StatusCode::OK);

    let path = demo.school_path("/invites/revoke-unused");
    let student = server.sign_in(demo::LEBEDEV).await;
    server.post(&path, json!({}), Some(&student)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let other_class = json!({ "target": class(demo.class("9В")) });
    server
        .post(&path, other_class.clone(), Some(&kuznetsova))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let by_teacher: api::Affected = server.post(&path, json!({}), Some(&kuznetsova)).await.parse();
    assert_eq!(by_teacher.count, 1, "only her class's unused link");
    let state = async |id: i64| -> InviteState {
        server.get(&format!("/api/v1/invites/{id}"), Some(&admin)).await.parse::<Invite>().state
    };
    assert_eq!(state(unused_5a.id).await, InviteState::Revoked);
    assert_eq!(state(unused_9v.id).await, InviteState::Active);

    let one_target: api::Affected = server.post(&path, other_class, Some(&admin)).await.parse();
    assert_eq!(one_target.count, 1);
    assert_eq!(state(unused_9v.id).await, InviteState::Revoked);
    assert_eq!(state(unused_staff.id).await, InviteState::Active);
    let everything: api::Affected = server.post(&path, json!({}), Some(&admin)).await.parse();
    assert_eq!(everything.count, 1, "the staff link; the used ones stay");
    assert_eq!(state(unused_staff.id).await, InviteState::Revoked);
    assert_eq!(state(used_5a.invite.id).await, InviteState::Active);
}

#[tokio::test]
async fn a_childs_link_is_for_their_parent_only() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let child = server.sign_in(demo::LEBEDEV).await;
    let lebedev: api::Me = server.get("/api/v1/me", Some(&child)).await.parse();
    let path = demo.school_path(&format!("/students/{}/parent-invite", lebedev.user.id));
    for phone in [demo::MOROZOVA, demo::BELOVA, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        server.post(&path, json!({}), Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let admin = server.sign_in(demo::ADMIN).await;
    let missing = demo.school_path("/students/999999/parent-invite");
    server.post(&missing, json!({}), Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    assert_eq!(server.post(&path, json!({}), Some(&kuznetsova)).await.status, StatusCode::CREATED);

    let reply = server.post(&path, json!({}), Some(&child)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let CreatedInvite { invite, token, code } = reply.parse();
    assert_eq!(invite.target, InviteTarget::Class { class_id: demo.class("5А") });
    assert_eq!(invite.role, Role::Parent);
    assert_eq!(invite.max_uses, Some(1));
    assert!(!invite.requires_approval);
    assert_eq!(invite.child.as_ref().map(|c| c.name.as_str()), Some("Михаил Лебедев"));
    let expires = time::OffsetDateTime::parse(
        &invite.expires_at.unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days = (expires - server.state.clock.now()).whole_days();
    assert!((13..=14).contains(&days), "{days}");
    let listed: Vec<Invite> = server.get(&demo.school_path("/invites"), Some(&child)).await.parse();
    assert_eq!(listed.iter().map(|i| i.id).collect::<Vec<_>>(), [invite.id], "the child sees their own link");

    let preview: api::InvitePreview = demo.preview(&token, Some(&child)).await.parse();
    assert_eq!(preview.viewer, Some(api::InviteViewer::IsTheChild));
    assert_eq!(preview.child_name.as_deref(), Some("Михаил Лебедев"));
    assert!(!preview.asks_child_name);
    demo.join(&token, &child, json!({})).await.assert_error(StatusCode::CONFLICT, "invite_is_for_parent");

    let parent = demo.newcomer("+79001110002", "Ирина", "Лебедева").await;
    let joined: api::JoinOutcome = demo.join(&code, &parent, json!({})).await.parse();
    let school_id = demo.school_id;
    assert_eq!(joined, api::JoinOutcome::Joined { school_id, chat_id: Some(demo.chat("Родители 5А")) });
    let parent_me: api::Me = server.get("/api/v1/me", Some(&parent)).await.parse();
    let links: Vec<(i64, i64)> = sqlx::query_as("SELECT parent_id, child_id FROM parent_links")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert_eq!(links, [(parent_me.user.id, lebedev.user.id)]);
    assert_eq!(parent_me.schools[0].roles, [Role::Parent]);
    assert_eq!(parent_me.schools[0].teacher_status, None);
    assert_eq!(demo.chats_of(&parent).await, [("Общий канал".into(), false), ("Родители 5А".into(), true)]);

    let another = demo.newcomer("+79001110003", "Олег", "Лебедев").await;
    demo.join(&token, &another, json!({})).await.assert_error(StatusCode::GONE, "invite_used_up");
}

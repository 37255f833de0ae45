use std::net::SocketAddr;

use api::{InvitePreview, InviteViewer, JoinOutcome, Role};
use axum::extract::ConnectInfo;
use axum::http::{Method, StatusCode};
use serde_json::json;
use tower::ServiceExt;

use crate::support::{Demo, Reply, demo, field_problems, invite_body, request};

fn class(id: i64) -> serde_json::Value {
    json!({ "kind": "class", "class_id": id })
}

#[tokio::test]
async fn anyone_may_see_what_an_invite_is_for() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let body = json!({ "target": class(demo.class("5А")), "role": "student", "label": "Новые ученики",
                       "expiry": { "kind": "never" } });
    let created = demo.invite(&admin, body).await;

    let preview: InvitePreview = demo.preview(&created.token, None).await.parse();
    assert_eq!(
        preview,
        InvitePreview {
            school_name: parta_server::demo::SCHOOL_NAME.into(),
            target: api::InviteTarget::Class { class_id: demo.class("5А") },
            target_name: "5А".into(),
            role: Role::Student,
            invited_by: "Ольга Миронова".into(),
            invited_by_teacher_verified: false,
            label: Some("Новые ученики".into()),
            requires_approval: false,
            child_name: None,
            asks_child_name: false,
            viewer: None,
        }
    );
    for code in [created.code.clone(), api::display_code(&created.code).to_lowercase()] {
        let by_code: InvitePreview = demo.preview(&code, None).await.parse();
        assert_eq!(by_code, preview);
    }
    let newcomer = demo.newcomer("+79001110001", "Пётр", "Новиков").await;
    let signed_in: InvitePreview = demo.preview(&created.token, Some(&newcomer)).await.parse();
    assert_eq!(signed_in.viewer, Some(InviteViewer::CanJoin));
}

/// Asserts an error about a key that names nothing of the school.
#[track_caller]
fn assert_anonymous(reply: &Reply, status: StatusCode, code: &str) {
    reply.assert_error(status, code);
    let text = reply.text();
    for name in [parta_server::demo::SCHOOL_NAME, parta_server::demo::SCHOOL_SHORT_NAME, "5А", "Миронова"]
    {
        assert!(!text.contains(name), "{text}");
    }
}

#[tokio::test]
async fn keys_that_do_not_work_name_nothing() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let newcomer = demo.newcomer("+79001110001", "Пётр", "Новиков").await;

    for malformed in ["abc", "K7QM-4XP0", "%20"] {
        assert_anonymous(&demo.preview(malformed, None).await, StatusCode::BAD_REQUEST, "invite_malformed");
        assert_anonymous(
            &demo.join(malformed, &newcomer, json!({})).await,
            StatusCode::BAD_REQUEST,
            "invite_malformed",
        );
    }
    for unknown in ["AbCdEfGhIjKlMnOpQrStUvWxYz012-_9", "K7QM-4XPD"] {
        assert_anonymous(&demo.preview(unknown, None).await, StatusCode::NOT_FOUND, "invite_not_found");
        assert_anonymous(
            &demo.join(unknown, &newcomer, json!({})).await,
            StatusCode::NOT_FOUND,
            "invite_not_found",
        );
    }

    let revoked = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    server.post(&format!("/api/v1/invites/{}/revoke", revoked.invite.id), json!({}), Some(&admin)).await;
    let one_use = json!({ "target": class(demo.class("5А")), "role": "student", "max_uses": 1, "expiry": { "kind": "never" } });
    let used_up = demo.invite(&admin, one_use).await;
    let first = demo.newcomer("+79001110002", "Анна", "Первая").await;
    assert_eq!(demo.join(&used_up.token, &first, json!({})).await.status, StatusCode::OK);
    let today = json!({ "target": class(demo.class("5А")), "role": "student",
                        "expiry": { "kind": "on", "date": moscow_today(&demo) } });
    let expiring = demo.invite(&admin, today).await;
    assert_eq!(demo.preview(&expiring.token, None).await.status, StatusCode::OK);
    server.state.clock.advance(24 * 3600);

    for (key, code) in [
        (&revoked.token, "invite_revoked"),
        (&used_up.token, "invite_used_up"),
        (&expiring.code, "invite_expired"),
    ] {
        assert_anonymous(&demo.preview(key, None).await, StatusCode::GONE, code);
        assert_anonymous(&demo.preview(key, Some(&newcomer)).await, StatusCode::GONE, code);
        assert_anonymous(&demo.join(key, &newcomer, json!({})).await, StatusCode::GONE, code);
    }
    let uses: i64 = sqlx::query_scalar("SELECT SUM(uses) FROM invites WHERE id IN (?, ?, ?)")
        .bind(revoked.invite.id)
        .bind(used_up.invite.id)
        .bind(expiring.invite.id)
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(uses, 1, "failed joins take no use");
}

fn moscow_today(demo: &Demo) -> String {
    let today = demo.server.state.clock.now().to_offset(parta_server::invites::MOSCOW).date();
    format!("{:04}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day())
}

#[tokio::test]
async fn students_join_by_token_or_by_typed_code() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    let school_id = demo.school_id;
    let class_chat = Some(demo.chat("5А"));

    let anna = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    let joined: JoinOutcome = demo.join(&created.token, &anna, json!({})).await.parse();
    assert_eq!(joined, JoinOutcome::Joined { school_id, chat_id: class_chat });
    assert_eq!(
        demo.chats_of(&anna).await,
        [("5А".into(), true), ("Математика 5А".into(), true), ("Общий канал".into(), false)]
    );
    let me: api::Me = server.get("/api/v1/me", Some(&anna)).await.parse();
    assert_eq!(me.schools[0].roles, [Role::Student]);
    let page: api::MessagePage =
        server.get(&format!("/api/v1/chats/{}/messages", demo.chat("5А")), Some(&anna)).await.parse();
    let last = page.messages.last().unwrap();
    assert_eq!(
        (last.kind, last.text.as_str()),
        (api::MessageKind::System, "Анна Новикова — новый участник чата")
    );
    let newcomer = api::SystemEvent::MemberJoined {
        user_id: Some(me.user.id), name: "Анна Новикова".into()
    };
    assert_eq!(last.system, Some(newcomer));

    let typed = format!(" {} ", api::display_code(&created.code).to_lowercase());
    let boris = demo.newcomer("+79001110002", "Борис", "Новиков").await;
    let joined: JoinOutcome = demo.join(&typed.replace(' ', "%20"), &boris, json!({})).await.parse();
    assert_eq!(joined, JoinOutcome::Joined { school_id, chat_id: class_chat });

    // Joining again changes nothing and counts nothing.
    let again: JoinOutcome = demo.join(&created.token, &anna, json!({})).await.parse();
    assert_eq!(again, JoinOutcome::AlreadyMember { school_id, chat_id: class_chat });
    let preview: InvitePreview = demo.preview(&created.code, Some(&anna)).await.parse();
    assert_eq!(preview.viewer, Some(InviteViewer::AlreadyMember { school_id, chat_id: class_chat }));
    let invite: api::Invite =
        server.get(&format!("/api/v1/invites/{}", created.invite.id), Some(&admin)).await.parse();
    assert_eq!(invite.uses, 2);
    let page_after: api::MessagePage =
        server.get(&format!("/api/v1/chats/{}/messages", demo.chat("5А")), Some(&anna)).await.parse();
    assert_eq!(
        page_after.messages.len(),
        page.messages.len() + 1,
        "one message for Борис, none again for Анна"
    );

    // A member keeps their way in after the link stopped working.
    server.post(&format!("/api/v1/invites/{}/revoke", created.invite.id), json!({}), Some(&admin)).await;
    let preview: InvitePreview = demo.preview(&created.token, Some(&anna)).await.parse();
    assert_eq!(preview.viewer, Some(InviteViewer::AlreadyMember { school_id, chat_id: class_chat }));
    let again: JoinOutcome = demo.join(&created.token, &anna, json!({})).await.parse();
    assert_eq!(again, JoinOutcome::AlreadyMember { school_id, chat_id: class_chat });
}

#[tokio::test]
async fn joining_needs_a_session_and_a_profile() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    let path = format!("/api/v1/join/{}", created.token);
    demo.server.post(&path, json!({}), None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let unfinished = demo.server.sign_in("+79001110001").await;
    demo.join(&created.token, &unfinished, json!({}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "profile_incomplete");
    let preview: InvitePreview = demo.preview(&created.token, Some(&unfinished)).await.parse();
    assert_eq!(preview.viewer, Some(InviteViewer::CanJoin), "the preview works before the profile is done");
}

#[tokio::test]
async fn teachers_joining_the_school_land_in_the_staff_room() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(json!({ "kind": "school" }), "teacher")).await;
    let teacher = demo.newcomer("+79001110001", "Виктор", "Павлов").await;
    let preview: InvitePreview = demo.preview(&created.token, Some(&teacher)).await.parse();
    assert_eq!((preview.target_name.as_str(), preview.role), ("Учительская", Role::Teacher));

    let joined: JoinOutcome = demo.join(&created.token, &teacher, json!({})).await.parse();
    let staff_chat = Some(demo.chat("Учительская"));
    assert_eq!(joined, JoinOutcome::Joined { school_id: demo.school_id, chat_id: staff_chat });
    assert_eq!(
        demo.chats_of(&teacher).await,
        [("Общий канал".into(), false), ("Сотрудники".into(), false), ("Учительская".into(), true)]
    );
    let me: api::Me = demo.server.get("/api/v1/me", Some(&teacher)).await.parse();
    assert_eq!(me.schools[0].roles, [Role::Teacher]);
    assert_eq!(me.schools[0].teacher_status, Some(api::TeacherStatus::Unverified));
    let again: JoinOutcome = demo.join(&created.token, &teacher, json!({})).await.parse();
    assert_eq!(again, JoinOutcome::AlreadyMember { school_id: demo.school_id, chat_id: staff_chat });
}

#[tokio::test]
async fn a_parents_link_asks_whose_parent() {
    let demo = Demo::new().await;
    let kuznetsova = demo.server.sign_in(demo::KUZNETSOVA).await;
    let body = json!({ "target": class(demo.class("5А")), "role": "parent", "requires_approval": true,
                       "expiry": { "kind": "never" } });
    let created = demo.invite(&kuznetsova, body).await;
    let preview: InvitePreview = demo.preview(&created.token, None).await.parse();
    assert!(preview.asks_child_name && preview.requires_approval);
    assert!(preview.invited_by_teacher_verified);

    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    for (body, problem) in [
        (json!({}), "required"),
        (json!({ "child_name": "   " }), "required"),
        (json!({ "child_name": "я".repeat(101) }), "too_long"),
    ] {
        let refused = demo.join(&created.token, &parent, body).await;
        assert_eq!(field_problems(&refused), [("child_name".to_string(), problem.to_string())]);
    }
    let waiting: JoinOutcome =
        demo.join(&created.token, &parent, json!({ "child_name": "  Маша   Волкова " })).await.parse();
    let JoinOutcome::Pending { request } = waiting else { panic!("{waiting:?}") };
    assert_eq!(request.status, api::RequestStatus::Pending);
    let child_name: String = sqlx::query_scalar("SELECT child_name FROM join_requests WHERE id = ?")
        .bind(request.id)
        .fetch_one(&demo.server.state.db)
        .await
        .unwrap();
    assert_eq!(child_name, "Маша Волкова");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_use_goes_to_exactly_one_person() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let body = json!({ "target": class(demo.class("5А")), "role": "student", "max_uses": 1, "expiry": { "kind": "never" } });
    let created = demo.invite(&admin, body).await;
    let anna = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    let boris = demo.newcomer("+79001110002", "Борис", "Новиков").await;

    let path = format!("/api/v1/join/{}", created.token);
    let race = |cookie: String| {
        let router = demo.server.router.clone();
        let path = path.clone();
        async move { router.oneshot(request(Method::POST, &path, Some(&cookie), Some(json!({})))).await.unwrap() }
    };
    let (first, second) = tokio::join!(tokio::spawn(race(anna)), tokio::spawn(race(boris)));
    let (first, second) = (first.unwrap(), second.unwrap());
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::GONE]);
    let loser = if first.status() == StatusCode::GONE { first } else { second };
    let body = axum::body::to_bytes(loser.into_body(), usize::MAX).await.unwrap();
    let error: api::ApiError = serde_json::from_slice(&body).unwrap();
    assert_eq!(error.code, api::ErrorCode::InviteUsedUp);

    let (uses, members): (i64, i64) = sqlx::query_as(
        "SELECT uses, (SELECT COUNT(*) FROM memberships WHERE class_id = invites.class_id AND role = 'student')
         FROM invites WHERE id = ?",
    )
    .bind(created.invite.id)
    .fetch_one(&demo.server.state.db)
    .await
    .unwrap();
    assert_eq!((uses, members), (1, 4), "three students of the demo, and the winner");
}

#[tokio::test]
async fn guessing_keys_is_stopped() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    for attempt in 0..30 {
        let guess = format!("K7QM{:04}", 2000 + attempt).replace('0', "A").replace('1', "B");
        assert_eq!(demo.preview(&guess, None).await.status, StatusCode::NOT_FOUND);
    }
    let refused = demo.preview("K7QM-XXXX", None).await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(refused.json()["retry_after_seconds"].as_u64().unwrap() > 0);
    demo.preview(&created.token, None).await.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let newcomer = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    demo.join(&created.token, &newcomer, json!({}))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");

    // Another address is not affected; this one is let through again after the window.
    let mut other = request(Method::GET, &format!("/api/v1/join/{}", created.token), None, None);
    other.extensions_mut().insert(ConnectInfo(SocketAddr::from(([198, 51, 100, 7], 4000))));
    assert_eq!(demo.server.send(other).await.status, StatusCode::OK);
    demo.server.state.clock.advance(600);
    assert_eq!(demo.preview(&created.token, None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_new_member_hears_that_their_memberships_changed() {
    use crate::events::{connect, listen, next_event};

    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    let newcomer = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    let url = listen(&demo.server).await;
    let mut socket = connect(&url, &newcomer).await;
    assert!(matches!(next_event(&mut socket).await, api::ServerEvent::Hello { .. }));
    assert_eq!(demo.join(&created.token, &newcomer, json!({})).await.status, StatusCode::OK);
    assert_eq!(next_event(&mut socket).await, api::ServerEvent::MembershipsChanged);
    demo.server.state.shutdown.cancel();
}

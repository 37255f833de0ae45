use api::{Affected, JoinOutcome, JoinRequest, MyJoinRequest, RequestStatus, ServerEvent};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::events::{connect, listen, next_event};
use crate::support::{Demo, demo};

fn approval_invite(target: Value, role: &str, max_uses: Option<u32>) -> Value {
    json!({ "target": target, "role": role, "requires_approval": true, "max_uses": max_uses,
            "expiry": { "kind": "never" } })
}

fn class(id: i64) -> Value {
    json!({ "kind": "class", "class_id": id })
}

/// Joins through an invite that requires approval; returns the request.
async fn ask(demo: &Demo, key: &str, cookie: &str) -> MyJoinRequest {
    let reply = demo.join(key, cookie, json!({ "child_name": "Маша Волкова" })).await;
    match reply.parse() {
        JoinOutcome::Pending { request } => request,
        other => panic!("{other:?}"),
    }
}

async fn pending_ids(demo: &Demo, cookie: &str) -> Vec<i64> {
    let reply = demo.server.get(&demo.school_path("/join-requests"), Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse::<Vec<JoinRequest>>().iter().map(|r| r.id).collect()
}

async fn pending_decisions(demo: &Demo, cookie: &str) -> u32 {
    let me: api::Me = demo.server.get("/api/v1/me", Some(cookie)).await.parse();
    me.schools[0].pending_decisions
}

#[tokio::test]
async fn a_class_teacher_approves_a_parent() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let admin = server.sign_in(demo::ADMIN).await;
    let belova = server.sign_in(demo::BELOVA).await;
    let created = demo.invite(&kuznetsova, approval_invite(class(demo.class("5А")), "parent", None)).await;

    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    let request = ask(&demo, &created.token, &parent).await;
    assert_eq!(
        (
            request.school_name.as_str(),
            request.target_name.as_str(),
            request.role,
            request.status,
            request.chat_id
        ),
        (parta_server::demo::SCHOOL_NAME, "5А", api::Role::Parent, RequestStatus::Pending, None)
    );
    let preview: api::InvitePreview = demo.preview(&created.token, Some(&parent)).await.parse();
    assert_eq!(preview.viewer, Some(api::InviteViewer::Pending { request_id: request.id }));
    let again = ask(&demo, &created.code, &parent).await;
    assert_eq!(again.id, request.id, "asking twice makes no second request");
    let invite: api::Invite =
        server.get(&format!("/api/v1/invites/{}", created.invite.id), Some(&admin)).await.parse();
    assert_eq!((invite.uses, invite.pending_requests), (1, 1));
    assert!(demo.chats_of(&parent).await.is_empty(), "nothing before approval");
    let mine: Vec<MyJoinRequest> = server.get("/api/v1/me/join-requests", Some(&parent)).await.parse();
    assert_eq!(mine, std::slice::from_ref(&request));

    assert_eq!(pending_ids(&demo, &kuznetsova).await, [request.id]);
    assert_eq!(pending_ids(&demo, &admin).await, [request.id]);
    assert!(pending_ids(&demo, &belova).await.is_empty(), "another class's teacher");
    assert_eq!(pending_decisions(&demo, &kuznetsova).await, 1);
    assert_eq!(pending_decisions(&demo, &belova).await, 0);
    let listed: Vec<JoinRequest> =
        server.get(&demo.school_path("/join-requests"), Some(&admin)).await.parse();
    assert_eq!(listed[0].person.name, "Ирина Волкова");
    assert_eq!(listed[0].child_name.as_deref(), Some("Маша Волкова"));
    assert_eq!(listed[0].invite_id, created.invite.id);
    let student = server.sign_in(demo::LEBEDEV).await;
    server
        .get(&demo.school_path("/join-requests"), Some(&student))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let approve = format!("/api/v1/join-requests/{}/approve", request.id);
    let reject = format!("/api/v1/join-requests/{}/reject", request.id);
    server.post(&approve, json!({}), Some(&belova)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server.post(&approve, json!({}), Some(&parent)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let approved: JoinRequest = server.post(&approve, json!({}), Some(&kuznetsova)).await.parse();
    assert_eq!(approved.status, RequestStatus::Approved);
    server
        .post(&approve, json!({}), Some(&admin))
        .await
        .assert_error(StatusCode::CONFLICT, "already_decided");
    server
        .post(&reject, json!({}), Some(&kuznetsova))
        .await
        .assert_error(StatusCode::CONFLICT, "already_decided");

    assert_eq!(demo.chats_of(&parent).await, [("Общий канал".into(), false), ("Родители 5А".into(), true)]);
    let mine: Vec<MyJoinRequest> = server.get("/api/v1/me/join-requests", Some(&parent)).await.parse();
    assert_eq!((mine[0].status, mine[0].chat_id), (RequestStatus::Approved, Some(demo.chat("Родители 5А"))));
    assert!(pending_ids(&demo, &kuznetsova).await.is_empty());
    assert_eq!(pending_decisions(&demo, &kuznetsova).await, 0);
    let member: JoinOutcome = demo.join(&created.token, &parent, json!({})).await.parse();
    assert!(matches!(member, JoinOutcome::AlreadyMember { .. }), "{member:?}");

    // A month later (and signed in anew) the decided request is no longer listed.
    server.state.clock.advance(31 * 24 * 3600);
    let parent = server.sign_in("+79001110001").await;
    let mine: Vec<MyJoinRequest> = server.get("/api/v1/me/join-requests", Some(&parent)).await.parse();
    assert!(mine.is_empty());
}

#[tokio::test]
async fn a_rejection_gives_the_use_back() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, approval_invite(class(demo.class("9В")), "student", Some(1))).await;
    let first = demo.newcomer("+79001110001", "Анна", "Первая").await;
    let second = demo.newcomer("+79001110002", "Борис", "Второй").await;

    let request = ask(&demo, &created.token, &first).await;
    demo.join(&created.token, &second, json!({})).await.assert_error(StatusCode::GONE, "invite_used_up");
    let rejected: JoinRequest = server
        .post(&format!("/api/v1/join-requests/{}/reject", request.id), json!({}), Some(&admin))
        .await
        .parse();
    assert_eq!(rejected.status, RequestStatus::Rejected);
    let invite: api::Invite =
        server.get(&format!("/api/v1/invites/{}", created.invite.id), Some(&admin)).await.parse();
    assert_eq!((invite.uses, invite.state), (0, api::InviteState::Active));
    assert!(demo.chats_of(&first).await.is_empty());
    let mine: Vec<MyJoinRequest> = server.get("/api/v1/me/join-requests", Some(&first)).await.parse();
    assert_eq!(mine[0].status, RequestStatus::Rejected);

    // The use given back goes to the next person; the rejected one finds the link used up again.
    ask(&demo, &created.token, &second).await;
    demo.join(&created.token, &first, json!({})).await.assert_error(StatusCode::GONE, "invite_used_up");
}

#[tokio::test]
async fn approving_at_once_takes_only_what_was_seen_and_may_be_decided() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let to_5a = demo.invite(&admin, approval_invite(class(demo.class("5А")), "student", None)).await;
    let to_9v = demo.invite(&admin, approval_invite(class(demo.class("9В")), "student", None)).await;
    let to_chat = demo
        .invite(
            &admin,
            approval_invite(
                json!({ "kind": "chat", "chat_id": demo.chat("Математика 5А") }),
                "student",
                None,
            ),
        )
        .await;
    let mut requests = Vec::new();
    for (phone, key) in
        [("+79001110001", &to_5a.token), ("+79001110002", &to_chat.token), ("+79001110003", &to_9v.token)]
    {
        let cookie = demo.newcomer(phone, "Ученик", "Новый").await;
        requests.push((ask(&demo, key, &cookie).await.id, cookie));
    }
    let ids: Vec<i64> = requests.iter().map(|(id, _)| *id).collect();
    assert_eq!(pending_ids(&demo, &kuznetsova).await, ids[..2], "her class and its chat");

    let path = demo.school_path("/join-requests/approve");
    let body = json!({ "ids": [ids[0], ids[1], ids[2], 999_999] });
    let approved: Affected = server.post(&path, body.clone(), Some(&kuznetsova)).await.parse();
    assert_eq!(approved.count, 2);
    assert_eq!(pending_ids(&demo, &admin).await, [ids[2]]);
    let again: Affected = server.post(&path, body, Some(&kuznetsova)).await.parse();
    assert_eq!(again.count, 0);
    assert!(demo.chats_of(&requests[0].1).await.contains(&("Математика 5А".into(), true)));
    assert_eq!(
        demo.chats_of(&requests[1].1).await,
        [("Математика 5А".into(), true), ("Общий канал".into(), false)]
    );

    let student = server.sign_in(demo::LEBEDEV).await;
    let body = json!({ "ids": [ids[2]] });
    server.post(&path, body.clone(), Some(&student)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    let by_admin: Affected = server.post(&path, body, Some(&admin)).await.parse();
    assert_eq!(by_admin.count, 1);
}

#[tokio::test]
async fn the_decision_reaches_the_requester_live() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    let created = demo.invite(&admin, approval_invite(class(demo.class("5А")), "parent", None)).await;
    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    let url = listen(server).await;

    let mut teacher_socket = connect(&url, &kuznetsova).await;
    assert!(matches!(next_event(&mut teacher_socket).await, ServerEvent::Hello { .. }));
    let mut admin_socket = connect(&url, &admin).await;
    assert!(matches!(next_event(&mut admin_socket).await, ServerEvent::Hello { .. }));
    let mut parent_socket = connect(&url, &parent).await;
    assert!(matches!(next_event(&mut parent_socket).await, ServerEvent::Hello { .. }));

    let request = ask(&demo, &created.token, &parent).await;
    let school_id = demo.school_id;
    assert_eq!(next_event(&mut teacher_socket).await, ServerEvent::DecisionsChanged { school_id });
    assert_eq!(next_event(&mut admin_socket).await, ServerEvent::DecisionsChanged { school_id });

    let approve = format!("/api/v1/join-requests/{}/approve", request.id);
    assert_eq!(server.post(&approve, json!({}), Some(&kuznetsova)).await.status, StatusCode::OK);
    assert_eq!(
        next_event(&mut parent_socket).await,
        ServerEvent::JoinRequestDecided {
            request_id: request.id,
            approved: true,
            school_id,
            chat_id: Some(demo.chat("Родители 5А")),
        }
    );
    assert_eq!(next_event(&mut parent_socket).await, ServerEvent::MembershipsChanged);
    assert_eq!(next_event(&mut admin_socket).await, ServerEvent::DecisionsChanged { school_id });
    // The teacher who decided hears it too: her counts, and her other devices, follow.
    assert_eq!(next_event(&mut teacher_socket).await, ServerEvent::DecisionsChanged { school_id });
    // The administrators' counts of people follow the newcomer.
    assert_eq!(next_event(&mut admin_socket).await, ServerEvent::RosterChanged { school_id });

    assert_eq!(server.state.hub.socket_count(), 3);
    server.state.shutdown.cancel();
    server.state.sockets.close();
    tokio::time::timeout(std::time::Duration::from_secs(1), server.state.sockets.wait()).await.unwrap();
    assert_eq!(server.state.hub.socket_count(), 0, "closed sockets leave the hub");
}

#[tokio::test]
async fn a_link_used_without_approval_tells_the_administrators_their_counts_changed() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let created = demo.invite(&admin, crate::support::invite_body(class(demo.class("5А")), "parent")).await;
    let admin_id = crate::direct::user_id(&demo, demo::ADMIN).await;
    let teacher_id = crate::direct::user_id(&demo, demo::KUZNETSOVA).await;
    let mut admin_hears = server.state.hub.subscribe(admin_id);
    let mut teacher_hears = server.state.hub.subscribe(teacher_id);
    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    assert_eq!(demo.join(&created.token, &parent, json!({})).await.status, StatusCode::OK);
    assert!(crate::direct::heard(&mut admin_hears).await.contains(&"roster_changed".to_string()));
    assert!(
        !crate::direct::heard(&mut teacher_hears).await.contains(&"roster_changed".to_string()),
        "administrators only"
    );
}

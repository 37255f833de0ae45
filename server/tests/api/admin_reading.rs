//! An administrator reads any chat of their school but a direct one without being in it, and joins
//! it in one step (`POST /chats/{id}/join`); everyone else still hears `not_found`.

use api::{AuditAction, AuditPage, Chat, ChatMember, MessagePage};
use axum::http::StatusCode;
use serde_json::json;

use crate::direct::{heard, outsider, user_id};
use crate::support::{Demo, client_id, demo};

/// What each read of the chat answers to this person: the chat, its messages, its members.
async fn reads(demo: &Demo, cookie: Option<&str>, chat_id: i64) -> [StatusCode; 3] {
    let server = &demo.server;
    let mut statuses = [StatusCode::OK; 3];
    for (i, rest) in ["", "/messages", "/members"].into_iter().enumerate() {
        statuses[i] = server.get(&format!("/api/v1/chats/{chat_id}{rest}"), cookie).await.status;
    }
    statuses
}

#[tokio::test]
async fn an_administrator_reads_a_class_chat_without_being_in_it_and_nobody_else_does() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parents_chat = demo.chat("Родители 5А");
    let kuznetsova = server.sign_in(demo::KUZNETSOVA).await;
    demo.post_message(&kuznetsova, "Родители 5А", "Собрание в четверг").await;

    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(reads(&demo, Some(&admin), parents_chat).await, [StatusCode::OK; 3]);
    let chat: Chat = server.get(&format!("/api/v1/chats/{parents_chat}"), Some(&admin)).await.parse();
    assert!(!chat.is_member);
    assert!(!chat.can_post && !chat.can_manage && !chat.can_moderate && !chat.can_leave && !chat.can_pin);
    assert_eq!((chat.unread_count, chat.last_read_id), (0, None));
    let page: MessagePage =
        server.get(&format!("/api/v1/chats/{parents_chat}/messages"), Some(&admin)).await.parse();
    assert!(page.messages.iter().any(|m| m.text == "Собрание в четверг"));
    let members: Vec<ChatMember> =
        server.get(&format!("/api/v1/chats/{parents_chat}/members"), Some(&admin)).await.parse();
    assert!(members.iter().any(|m| m.name == "Елена Кузнецова"));

    // Reading is all: writing, reacting, marking read and managing need joining first.
    let message = page.messages.last().unwrap().id;
    let chat_path = format!("/api/v1/chats/{parents_chat}");
    let writes = [
        server
            .post(
                &format!("{chat_path}/messages"),
                json!({ "client_id": client_id(), "text": "Здравствуйте" }),
                Some(&admin),
            )
            .await,
        server.put(&format!("{chat_path}/messages/{message}/reactions/👍"), json!({}), Some(&admin)).await,
        server.post(&format!("{chat_path}/read"), json!({ "message_id": message }), Some(&admin)).await,
        server.patch(&chat_path, json!({ "title": "Родители" }), Some(&admin)).await,
        server.put(&format!("{chat_path}/pin"), json!({ "message_id": message }), Some(&admin)).await,
        server.post(&format!("{chat_path}/leave"), json!({}), Some(&admin)).await,
    ];
    for reply in writes {
        reply.assert_error(StatusCode::NOT_FOUND, "not_found");
    }

    // A teacher, a student and a parent who are not in the chat; another school's administrator.
    for phone in [demo::BELOVA, demo::SOKOLOV, demo::MOROZOVA] {
        let cookie = server.sign_in(phone).await;
        assert_eq!(reads(&demo, Some(&cookie), parents_chat).await, [StatusCode::NOT_FOUND; 3], "{phone}");
    }
    let lebedeva = server.sign_in(demo::LEBEDEVA).await;
    assert_eq!(reads(&demo, Some(&lebedeva), demo.chat("5А")).await, [StatusCode::NOT_FOUND; 3]);
    let (stranger, _) = outsider(&demo).await;
    assert_eq!(reads(&demo, Some(&stranger), parents_chat).await, [StatusCode::NOT_FOUND; 3]);
    assert_eq!(reads(&demo, None, parents_chat).await, [StatusCode::UNAUTHORIZED; 3]);
}

#[tokio::test]
async fn a_direct_chat_stays_between_its_two_members() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let lebedeva = server.sign_in(demo::LEBEDEVA).await;
    let kuznetsova_id = user_id(&demo, demo::KUZNETSOVA).await;
    let reply =
        server.post(&demo.school_path("/direct"), json!({ "user_id": kuznetsova_id }), Some(&lebedeva)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let direct: i64 = reply.json()["id"].as_i64().unwrap();

    let admin = server.sign_in(demo::ADMIN).await;
    assert_eq!(reads(&demo, Some(&admin), direct).await, [StatusCode::NOT_FOUND; 3]);
    let join = server.post(&format!("/api/v1/chats/{direct}/join"), json!({}), Some(&admin)).await;
    join.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(reads(&demo, Some(&lebedeva), direct).await, [StatusCode::OK; 3]);
}

#[tokio::test]
async fn an_administrator_joins_in_one_step_audited_and_live() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parents_chat = demo.chat("Родители 5А");
    let join_path = format!("/api/v1/chats/{parents_chat}/join");

    // Only the school's administrators join this way.
    for phone in [demo::KUZNETSOVA, demo::BELOVA, demo::LEBEDEV, demo::LEBEDEVA] {
        let cookie = server.sign_in(phone).await;
        let reply = server.post(&join_path, json!({}), Some(&cookie)).await;
        if phone == demo::KUZNETSOVA || phone == demo::LEBEDEVA {
            // Already members: nothing changes.
            assert_eq!(reply.status, StatusCode::OK, "{phone}: {}", reply.text());
            assert!(reply.parse::<Chat>().is_member);
        } else {
            reply.assert_error(StatusCode::NOT_FOUND, "not_found");
        }
    }
    let (stranger, _) = outsider(&demo).await;
    server
        .post(&join_path, json!({}), Some(&stranger))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    server.post(&join_path, json!({}), None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    server
        .post("/api/v1/chats/999999/join", json!({}), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    let admin = server.sign_in(demo::ADMIN).await;
    let admin_id = user_id(&demo, demo::ADMIN).await;
    let kuznetsova_id = user_id(&demo, demo::KUZNETSOVA).await;
    let mut admin_hears = server.state.hub.subscribe(admin_id);
    let mut member_hears = server.state.hub.subscribe(kuznetsova_id);
    let joined: Chat = server.post(&join_path, json!({}), Some(&admin)).await.parse();
    assert!(joined.is_member && joined.can_post && joined.can_manage && joined.can_moderate);
    assert_eq!(heard(&mut member_hears).await, ["message_created", "chat_updated"]);
    assert_eq!(heard(&mut admin_hears).await, ["message_created", "chat_updated", "memberships_changed"]);

    let page: MessagePage =
        server.get(&format!("/api/v1/chats/{parents_chat}/messages"), Some(&admin)).await.parse();
    assert_eq!(page.messages.last().unwrap().text, "Ольга Миронова — новый участник чата");
    assert!(demo.chats_of(&admin).await.contains(&("Родители 5А".into(), true)));
    let sent = demo.post_message(&admin, "Родители 5А", "Добрый день").await;
    assert_eq!(sent.text, "Добрый день");

    let log = server.get(&demo.school_path("/audit?action=chat_joined"), Some(&admin)).await;
    let log = log.parse::<AuditPage>().entries;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, AuditAction::ChatJoined);
    assert_eq!(log[0].actor.as_ref().map(|a| a.id), Some(admin_id));
    assert_eq!((log[0].class_name.as_deref(), log[0].to.as_deref()), (Some("5А"), Some("Родители 5А")));

    // Joining again changes nothing.
    let again: Chat = server.post(&join_path, json!({}), Some(&admin)).await.parse();
    assert!(again.is_member);
    let log = server.get(&demo.school_path("/audit?action=chat_joined"), Some(&admin)).await;
    assert_eq!(log.parse::<AuditPage>().entries.len(), 1);
    assert!(heard(&mut member_hears).await.iter().all(|event| event != "chat_updated"));
}

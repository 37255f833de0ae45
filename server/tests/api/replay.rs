//! Numbered message events over a real WebSocket: live to every member, replayed after a gap, and
//! `resync` when the gap is too large or too old.

use std::time::Duration;

use api::{Message, ServerEvent};
use axum::http::StatusCode;
use futures_util::StreamExt;
use serde_json::json;

use crate::events::{Socket, connect, listen, next_event};
use crate::support::{Demo, demo};

const PARENTS: &str = "Родители 5А";

/// The `hello` of a fresh socket, and its `seq`.
async fn hello(socket: &mut Socket) -> i64 {
    match next_event(socket).await {
        ServerEvent::Hello { seq, .. } => seq,
        other => panic!("expected hello, got {other:?}"),
    }
}

async fn assert_quiet(socket: &mut Socket) {
    if let Ok(frame) = tokio::time::timeout(Duration::from_millis(300), socket.next()).await {
        panic!("expected nothing, got {frame:?}");
    }
}

fn created(event: ServerEvent) -> (i64, Message) {
    match event {
        ServerEvent::MessageCreated { seq, message } => (seq, message),
        other => panic!("expected message_created, got {other:?}"),
    }
}

fn updated(event: ServerEvent) -> (i64, Message) {
    match event {
        ServerEvent::MessageUpdated { seq, message } => (seq, message),
        other => panic!("expected message_updated, got {other:?}"),
    }
}

#[tokio::test]
async fn messages_reach_every_member_once() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let url = listen(server).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let student = server.sign_in(demo::MOROZOVA).await;
    let mut teacher_socket = connect(&url, &teacher).await;
    let mut parent_socket = connect(&url, &parent).await;
    let mut student_socket = connect(&url, &student).await;
    let start = hello(&mut teacher_socket).await;
    assert_eq!((hello(&mut parent_socket).await, hello(&mut student_socket).await), (start, start));

    let body = json!({ "client_id": "live-00001", "text": "Собрание в среду" });
    let path = demo.chat_path(PARENTS, "/messages");
    let sent: Message = server.post(&path, body.clone(), Some(&teacher)).await.parse();
    let (seq, message) = created(next_event(&mut parent_socket).await);
    assert_eq!(message, sent);
    assert!(seq > start);
    assert_eq!(
        created(next_event(&mut teacher_socket).await),
        (seq, sent.clone()),
        "the author's other devices"
    );
    match next_event(&mut teacher_socket).await {
        ServerEvent::ChatRead { chat_id, last_read_id, unread_count, .. } => {
            assert_eq!((chat_id, last_read_id, unread_count), (demo.chat(PARENTS), sent.id, 0));
        }
        other => panic!("expected chat_read, got {other:?}"),
    }

    assert_eq!(server.post(&path, body, Some(&teacher)).await.status, StatusCode::OK);
    let next = demo.post_message(&teacher, PARENTS, "Кабинет 214").await;
    assert_eq!(created(next_event(&mut parent_socket).await).1, next, "the repeated send announced nothing");
    assert_quiet(&mut student_socket).await;

    let read = json!({ "message_id": next.id });
    assert_eq!(
        server.post(&demo.chat_path(PARENTS, "/read"), read, Some(&parent)).await.status,
        StatusCode::NO_CONTENT
    );
    match next_event(&mut parent_socket).await {
        ServerEvent::ChatRead { last_read_id, unread_count, .. } => {
            assert_eq!((last_read_id, unread_count), (next.id, 0))
        }
        other => panic!("expected chat_read, got {other:?}"),
    }
    created(next_event(&mut teacher_socket).await);
    next_event(&mut teacher_socket).await;
    assert_quiet(&mut teacher_socket).await;
}

#[tokio::test]
async fn a_client_that_was_away_gets_what_it_missed_in_order() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let url = listen(server).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;

    let mut socket = connect(&url, &parent).await;
    let seen = hello(&mut socket).await;
    drop(socket);

    let first = demo.post_message(&teacher, PARENTS, "Первое").await;
    let second = demo.post_message(&teacher, PARENTS, "Второе").await;
    demo.post_message(&teacher, "5А", "В чужом для родителя чате").await;
    let message = |m: &Message| demo.chat_path(PARENTS, &format!("/messages/{}", m.id));
    server.patch(&message(&first), json!({ "text": "Первое, исправлено" }), Some(&teacher)).await;
    server.put(&format!("{}/reactions/%F0%9F%91%8D", message(&second)), json!({}), Some(&teacher)).await;
    let read = json!({ "message_id": first.id });
    server.post(&demo.chat_path(PARENTS, "/read"), read, Some(&parent)).await;

    let mut socket = connect(&format!("{url}?after={seen}"), &parent).await;
    let newest = hello(&mut socket).await;
    let mut seqs = Vec::new();
    let (seq, replayed) = created(next_event(&mut socket).await);
    assert_eq!(replayed, first);
    seqs.push(seq);
    let (seq, replayed) = created(next_event(&mut socket).await);
    assert_eq!(replayed.id, second.id);
    seqs.push(seq);
    let (seq, edited) = updated(next_event(&mut socket).await);
    assert_eq!((edited.id, edited.text.as_str()), (first.id, "Первое, исправлено"));
    seqs.push(seq);
    let (seq, reacted) = updated(next_event(&mut socket).await);
    assert_eq!((reacted.id, reacted.reactions.len()), (second.id, 1));
    seqs.push(seq);
    match next_event(&mut socket).await {
        ServerEvent::ChatRead { seq, last_read_id, unread_count, .. } => {
            assert_eq!((last_read_id, unread_count), (first.id, 1));
            assert_eq!(seq, newest, "the newest event of all is the parent's own");
            seqs.push(seq);
        }
        other => panic!("expected chat_read, got {other:?}"),
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_quiet(&mut socket).await;

    let live = demo.post_message(&teacher, PARENTS, "Третье").await;
    let (seq, message) = created(next_event(&mut socket).await);
    assert_eq!((message.id, seq > newest), (live.id, true));

    // Reconnecting from where it is now replays nothing.
    let mut current = connect(&format!("{url}?after={seq}"), &parent).await;
    hello(&mut current).await;
    assert_quiet(&mut current).await;
}

#[tokio::test]
async fn a_gap_too_large_or_too_old_means_resync() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let db = &server.state.db;
    let url = listen(server).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    demo.post_message(&teacher, PARENTS, "До перерыва").await;
    let mut socket = connect(&url, &parent).await;
    let seen = hello(&mut socket).await;
    drop(socket);

    let now = server.state.clock.unix();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 501)
         INSERT INTO events (chat_id, payload, created_at) SELECT ?, '{\"type\":\"ping\"}', ? FROM n",
    )
    .bind(demo.chat(PARENTS))
    .bind(now)
    .execute(db)
    .await
    .unwrap();
    let mut socket = connect(&format!("{url}?after={seen}"), &parent).await;
    let newest = hello(&mut socket).await;
    assert_eq!(newest, seen + 501);
    assert_eq!(next_event(&mut socket).await, ServerEvent::Resync { seq: newest });
    let live = demo.post_message(&teacher, PARENTS, "После перерыва").await;
    assert_eq!(created(next_event(&mut socket).await).1.id, live.id, "then live");
    drop(socket);

    // 500 are still replayed: 499 of the inserted ones and the live message.
    let mut socket = connect(&format!("{url}?after={}", seen + 2), &parent).await;
    hello(&mut socket).await;
    for _ in 0..499 {
        assert_eq!(next_event(&mut socket).await, ServerEvent::Ping);
    }
    assert_eq!(created(next_event(&mut socket).await).1.id, live.id);
    drop(socket);

    let mut ahead = connect(&format!("{url}?after={}", newest + 1000), &parent).await;
    let now_newest = hello(&mut ahead).await;
    assert_eq!(next_event(&mut ahead).await, ServerEvent::Resync { seq: now_newest });

    server.state.clock.advance(parta_server::event_log::KEEP_SECONDS + 1);
    let kept = demo.post_message(&teacher, PARENTS, "Через неделю").await;
    parta_server::db::prune(db, server.state.clock.unix()).await.unwrap();
    let mut old = connect(&format!("{url}?after={newest}"), &parent).await;
    let latest = hello(&mut old).await;
    assert_eq!(next_event(&mut old).await, ServerEvent::Resync { seq: latest });
    let mut recent = connect(&format!("{url}?after={now_newest}"), &parent).await;
    hello(&mut recent).await;
    assert_eq!(created(next_event(&mut recent).await).1.id, kept.id, "what is kept is still replayed");
}

#[tokio::test]
async fn a_newcomer_is_announced_to_the_chat() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let url = listen(server).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let mut socket = connect(&url, &teacher).await;
    hello(&mut socket).await;

    let admin = server.sign_in(demo::ADMIN).await;
    let target = json!({ "kind": "class", "class_id": demo.class("5А") });
    let invite = demo.invite(&admin, crate::support::invite_body(target, "parent")).await;
    let newcomer = demo.newcomer("+79001110001", "Анна", "Новикова").await;
    assert_eq!(demo.join(&invite.token, &newcomer, json!({})).await.status, StatusCode::OK);
    let (_, joined) = created(next_event(&mut socket).await);
    assert_eq!((joined.chat_id, joined.kind), (demo.chat(PARENTS), api::MessageKind::System));
    assert_eq!(joined.text, "Анна Новикова — новый участник чата");
    assert!(
        matches!(&joined.system, Some(api::SystemEvent::MemberJoined { user_id: Some(_), name }) if name == "Анна Новикова"),
        "the live event carries the event as data: {:?}",
        joined.system
    );
    assert_eq!(demo.timeline(&teacher, PARENTS).await.messages.last(), Some(&joined));
}

#[tokio::test]
async fn typing_reaches_the_other_members_of_the_chat_and_no_one_else() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message as Frame;

    let demo = Demo::new().await;
    let server = &demo.server;
    let url = listen(server).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    // Not in the parents' chat.
    let student = server.sign_in(demo::MOROZOVA).await;
    let mut teacher_socket = connect(&url, &teacher).await;
    let mut parent_socket = connect(&url, &parent).await;
    let mut student_socket = connect(&url, &student).await;
    for socket in [&mut teacher_socket, &mut parent_socket, &mut student_socket] {
        hello(socket).await;
    }
    let chat = demo.chat(PARENTS);
    let typing = json!({ "type": "typing", "chat_id": chat }).to_string();

    parent_socket.send(Frame::text(typing.clone())).await.unwrap();
    match next_event(&mut teacher_socket).await {
        ServerEvent::Typing { chat_id, name, .. } => {
            assert_eq!((chat_id, name.as_str()), (chat, "Светлана Лебедева"))
        }
        other => panic!("expected typing, got {other:?}"),
    }
    assert_quiet(&mut parent_socket).await;
    assert_quiet(&mut student_socket).await;

    // Again at once: held back, a client cannot flood the chat.
    parent_socket.send(Frame::text(typing.clone())).await.unwrap();
    assert_quiet(&mut teacher_socket).await;

    // Someone outside the chat: passed on to no one.
    student_socket.send(Frame::text(typing)).await.unwrap();
    assert_quiet(&mut teacher_socket).await;
    assert_quiet(&mut parent_socket).await;
}

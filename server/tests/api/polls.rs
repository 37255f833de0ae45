use api::{Message, MessageKind, MessagePage, ServerEvent};
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{Demo, client_id, demo, field_problems};

const PARENTS: &str = "Родители 5А";
const GENERAL: &str = "Общий канал";

/// Asks a poll in the chat called `title` (asserting `201`).
async fn ask(demo: &Demo, cookie: &str, title: &str, extra: Value) -> Message {
    let mut body = json!({ "client_id": client_id(), "question": "Когда собрание?", "options": ["Вторник", "Среда", "Четверг"] });
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let reply = demo.server.post(&demo.chat_path(title, "/polls"), body, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.parse()
}

fn message_path(demo: &Demo, title: &str, message: &Message, rest: &str) -> String {
    demo.chat_path(title, &format!("/messages/{}{rest}", message.id))
}

async fn vote(demo: &Demo, cookie: &str, title: &str, poll: &Message, choices: &[u32]) -> Message {
    let reply = demo
        .server
        .put(&message_path(demo, title, poll, "/vote"), json!({ "choices": choices }), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

/// The numbered events about the chat, in order.
async fn events(demo: &Demo, title: &str) -> Vec<ServerEvent> {
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM events WHERE chat_id = ? ORDER BY id")
            .bind(demo.chat(title))
            .fetch_all(&demo.server.state.db)
            .await
            .unwrap();
    payloads.iter().map(|p| serde_json::from_str(p).unwrap()).collect()
}

/// `(text, votes, voter_ids)` of each option.
fn tally(message: &Message) -> Vec<(String, u32, Vec<i64>)> {
    let poll = message.poll.as_ref().unwrap();
    poll.options.iter().map(|o| (o.text.clone(), o.votes, o.voter_ids.clone())).collect()
}

#[tokio::test]
async fn a_member_asks_a_poll_once_per_client_id() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let body = json!({
        "client_id": "poll-00001",
        "question": "  Когда собрание?\n",
        "options": [" Вторник", "Среда "],
        "multiple": true,
        "closes_at": "2099-01-01T09:00:00+03:00",
    });
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let unread = async || {
        let list: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&teacher)).await.parse();
        list.into_iter().find(|c| c.title == PARENTS).unwrap()
    };
    let unread_before = unread().await.unread_count;
    let path = demo.chat_path(PARENTS, "/polls");
    let reply = server.post(&path, body.clone(), Some(&parent)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let poll: Message = reply.parse();
    assert_eq!((poll.kind, poll.text.as_str()), (MessageKind::Poll, "Когда собрание?"));
    assert_eq!(poll.author.as_ref().unwrap().name, "Светлана Лебедева");
    assert_eq!(poll.ack, None);
    let state = poll.poll.as_ref().unwrap();
    assert_eq!(
        (state.multiple, state.anonymous, state.closes_at.as_deref(), state.closed, state.voter_count),
        (true, false, Some("2099-01-01T06:00:00Z"), false, 0)
    );
    assert_eq!(tally(&poll), [("Вторник".into(), 0, vec![]), ("Среда".into(), 0, vec![])]);

    let again = server.post(&path, body, Some(&parent)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.parse::<Message>(), poll);
    let created: Vec<_> = events(&demo, PARENTS)
        .await
        .into_iter()
        .filter(|e| matches!(e, ServerEvent::MessageCreated { .. }))
        .collect();
    assert_eq!(created.len(), 1, "the retry announces nothing");

    // The question leads the chat list, from its author, and is unread for the others.
    let row = unread().await;
    let last = row.last_message.as_ref().unwrap();
    assert_eq!(
        (last.author_name.as_deref(), last.text.as_str()),
        (Some("Светлана Лебедева"), "Когда собрание?")
    );
    assert_eq!(row.unread_count, unread_before + 1);
}

#[tokio::test]
async fn a_poll_must_be_well_formed() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let path = demo.chat_path(PARENTS, "/polls");
    let post = async |body| server.post(&path, body, Some(&parent)).await;

    let reply = post(json!({
        "client_id": "bad id!",
        "question": " ",
        "options": ["Да", " ", "Нет", "Да ", "я".repeat(api::POLL_OPTION_MAX_CHARS + 1)],
        "closes_at": "завтра",
    }))
    .await;
    assert_eq!(
        field_problems(&reply),
        [
            ("client_id".into(), "invalid_characters".into()),
            ("question".into(), "required".into()),
            ("options.1".into(), "required".into()),
            ("options.3".into(), "not_allowed".into()),
            ("options.4".into(), "too_long".into()),
            ("closes_at".into(), "invalid_date".into()),
        ]
    );
    let eleven: Vec<String> = (1..=11).map(|i| format!("Вариант {i}")).collect();
    let reply = post(json!({
        "client_id": client_id(),
        "question": "я".repeat(api::POLL_QUESTION_MAX_CHARS + 1),
        "options": eleven,
        "closes_at": "2020-01-01T00:00:00Z",
    }))
    .await;
    assert_eq!(
        field_problems(&reply),
        [
            ("question".into(), "too_long".into()),
            ("options".into(), "out_of_range".into()),
            ("closes_at".into(), "out_of_range".into()),
        ]
    );
    let reply = post(json!({ "client_id": client_id(), "question": "Да?", "options": ["Да"] })).await;
    assert_eq!(field_problems(&reply), [("options".into(), "out_of_range".into())]);

    for body in [
        json!({ "client_id": client_id(), "question": "Да?" }),
        json!({ "client_id": client_id(), "question": "Да?", "options": "Да, нет" }),
        json!({ "client_id": client_id(), "question": "Да?", "options": ["Да", "Нет"], "closes_at": 5 }),
        json!([]),
    ] {
        let reply = post(body).await;
        assert!(reply.status.is_client_error(), "{}: {}", reply.status, reply.text());
    }
    assert_eq!(demo.timeline(&parent, PARENTS).await.messages.iter().filter(|m| m.poll.is_some()).count(), 0);

    // A channel's reader may not ask; its author may.
    let channel = demo.chat_path(GENERAL, "/polls");
    let body = json!({ "client_id": client_id(), "question": "Да?", "options": ["Да", "Нет"] });
    server
        .post(&channel, body.clone(), Some(&parent))
        .await
        .assert_error(StatusCode::FORBIDDEN, "cannot_post");
    let student = server.sign_in(demo::MOROZOVA).await;
    server.post(&path, body, Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    ask(&demo, &server.sign_in(demo::ADMIN).await, GENERAL, json!({})).await;
}

#[tokio::test]
async fn members_vote_change_and_take_back() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let lebedeva = server.sign_in(demo::LEBEDEVA).await;
    let smirnov = server.sign_in(demo::SMIRNOV).await;
    let single = ask(&demo, &teacher, PARENTS, json!({})).await;
    let ids = |message: &Message| message.author.as_ref().unwrap().id;
    let teacher_id = ids(&single);
    let lebedeva_id = ids(&demo.post_message(&lebedeva, PARENTS, "Я за среду").await);
    let smirnov_id = ids(&demo.post_message(&smirnov, PARENTS, "А я подумаю").await);

    let voted = vote(&demo, &lebedeva, PARENTS, &single, &[1]).await;
    assert_eq!(voted.poll.as_ref().unwrap().my_choices, [1]);
    vote(&demo, &teacher, PARENTS, &single, &[1]).await;
    let voted = vote(&demo, &smirnov, PARENTS, &single, &[0]).await;
    assert_eq!(voted.poll.as_ref().unwrap().voter_count, 3);
    assert_eq!(
        tally(&voted),
        [
            ("Вторник".into(), 1, vec![smirnov_id]),
            ("Среда".into(), 2, vec![lebedeva_id, teacher_id]),
            ("Четверг".into(), 0, vec![]),
        ]
    );
    let changed = vote(&demo, &lebedeva, PARENTS, &single, &[2]).await;
    assert_eq!(changed.poll.as_ref().unwrap().my_choices, [2]);
    assert_eq!(tally(&changed)[1], ("Среда".into(), 1, vec![teacher_id]));
    let taken_back = vote(&demo, &lebedeva, PARENTS, &single, &[]).await;
    let poll = taken_back.poll.as_ref().unwrap();
    assert_eq!((poll.my_choices.as_slice(), poll.voter_count), (&[][..], 2));
    assert_eq!(tally(&taken_back)[2], ("Четверг".into(), 0, vec![]));

    // Every change but the repeated one is one `message_updated`, the same for everyone: no choices.
    let before = events(&demo, PARENTS).await.len();
    vote(&demo, &teacher, PARENTS, &single, &[1]).await;
    assert_eq!(events(&demo, PARENTS).await.len(), before, "the same vote again changes nothing");
    vote(&demo, &teacher, PARENTS, &single, &[0]).await;
    let last = events(&demo, PARENTS).await.pop().unwrap();
    let ServerEvent::MessageUpdated { message, .. } = last else {
        panic!("expected message_updated, got {last:?}")
    };
    let poll = message.poll.as_ref().unwrap();
    assert!(poll.my_choices.is_empty());
    assert_eq!(poll.options[0].voter_ids, [smirnov_id, teacher_id]);

    // A page shows each reader their own choices.
    let page = async |cookie: &str| {
        let page: MessagePage = server.get(&demo.chat_path(PARENTS, "/messages"), Some(cookie)).await.parse();
        let poll = page.messages.into_iter().find(|m| m.id == single.id).unwrap().poll.unwrap();
        poll.my_choices
    };
    assert_eq!(page(&teacher).await, [0]);
    assert_eq!(page(&smirnov).await, [0]);
    assert!(page(&lebedeva).await.is_empty());

    let multiple = ask(&demo, &teacher, PARENTS, json!({ "multiple": true })).await;
    let voted = vote(&demo, &smirnov, PARENTS, &multiple, &[2, 0]).await;
    assert_eq!(voted.poll.as_ref().unwrap().my_choices, [0, 2]);
    let voted = vote(&demo, &smirnov, PARENTS, &multiple, &[0, 1]).await;
    assert_eq!(voted.poll.as_ref().unwrap().my_choices, [0, 1]);
    assert_eq!(voted.poll.as_ref().unwrap().voter_count, 1);
    assert_eq!(tally(&voted).iter().map(|t| t.1).collect::<Vec<_>>(), [1, 1, 0]);
}

#[tokio::test]
async fn votes_must_name_options_of_an_open_poll() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let poll = ask(&demo, &teacher, PARENTS, json!({})).await;
    let path = message_path(&demo, PARENTS, &poll, "/vote");
    for choices in [json!([3]), json!([0, 1]), json!([1, 1])] {
        let reply = server.put(&path, json!({ "choices": choices }), Some(&parent)).await;
        assert_eq!(field_problems(&reply), [("choices".into(), "not_allowed".into())], "{choices}");
    }
    for body in [json!({}), json!({ "choices": [-1] }), json!({ "choices": "0" }), json!(null)] {
        let reply = server.put(&path, body.clone(), Some(&parent)).await;
        assert!(reply.status.is_client_error(), "{body}: {} {}", reply.status, reply.text());
    }

    let body = json!({ "choices": [0] });
    let student = server.sign_in(demo::MOROZOVA).await;
    server.put(&path, body.clone(), Some(&student)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    let text = demo.post_message(&teacher, PARENTS, "Не опрос").await;
    let not_a_poll = message_path(&demo, PARENTS, &text, "/vote");
    server
        .put(&not_a_poll, body.clone(), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let elsewhere = demo.chat_path("5А", &format!("/messages/{}/vote", poll.id));
    server
        .put(&elsewhere, body.clone(), Some(&teacher))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Only its author or a moderator closes it; then nobody votes.
    let close = message_path(&demo, PARENTS, &poll, "/close");
    server.post(&close, json!({}), Some(&parent)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    vote(&demo, &parent, PARENTS, &poll, &[0]).await;
    let reply = server.post(&close, json!({}), Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let closed: Message = reply.parse();
    assert!(closed.poll.as_ref().unwrap().closed);
    assert_eq!(closed.poll.as_ref().unwrap().options[0].votes, 1);
    let before = events(&demo, PARENTS).await.len();
    let again: Message = server.post(&close, json!({}), Some(&teacher)).await.parse();
    assert_eq!(again, closed);
    assert_eq!(events(&demo, PARENTS).await.len(), before, "closing again changes nothing");
    server
        .put(&path, json!({ "choices": [] }), Some(&parent))
        .await
        .assert_error(StatusCode::CONFLICT, "poll_closed");

    // A parent's poll: its author closes it too.
    let theirs = ask(&demo, &parent, PARENTS, json!({})).await;
    let reply = server.post(&message_path(&demo, PARENTS, &theirs, "/close"), json!({}), Some(&parent)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

#[tokio::test]
async fn a_poll_closes_at_its_deadline() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let in_an_hour = time::OffsetDateTime::from_unix_timestamp(server.state.clock.unix() + 3600)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let poll = ask(&demo, &teacher, PARENTS, json!({ "closes_at": in_an_hour })).await;
    assert!(!vote(&demo, &parent, PARENTS, &poll, &[2]).await.poll.unwrap().closed);

    server.state.clock.advance(3600);
    let path = message_path(&demo, PARENTS, &poll, "/vote");
    server
        .put(&path, json!({ "choices": [1] }), Some(&parent))
        .await
        .assert_error(StatusCode::CONFLICT, "poll_closed");
    let shown = demo.timeline(&parent, PARENTS).await.messages.pop().unwrap().poll.unwrap();
    assert!(shown.closed);
    assert_eq!(shown.my_choices, [2]);
}

#[tokio::test]
async fn a_deadline_passing_closes_the_poll_once_and_tells_everyone() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let at = |seconds: i64| {
        time::OffsetDateTime::from_unix_timestamp(server.state.clock.unix() + seconds)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let soon = ask(&demo, &teacher, PARENTS, json!({ "closes_at": at(60) })).await;
    let later = ask(&demo, &teacher, PARENTS, json!({ "closes_at": at(3600) })).await;
    let close_due = || parta_server::routes::polls::close_due(&server.state);
    let before = events(&demo, PARENTS).await.len();

    assert_eq!(close_due().await.unwrap(), 0, "nothing is due yet");
    // The server was down when the deadline passed: the first sweep after it closes the poll.
    server.state.clock.advance(61);
    assert_eq!(close_due().await.unwrap(), 1);
    assert_eq!(close_due().await.unwrap(), 0, "a poll is closed once");
    let events = events(&demo, PARENTS).await;
    assert_eq!(events.len(), before + 1);
    let Some(ServerEvent::MessageUpdated { message, .. }) = events.last() else {
        panic!("expected message_updated, got {:?}", events.last());
    };
    assert_eq!(message.id, soon.id);
    let poll = message.poll.as_ref().unwrap();
    assert!(poll.closed);
    assert!(poll.my_choices.is_empty());
    let shown = demo.timeline(&teacher, PARENTS).await.messages;
    assert!(!shown.iter().find(|m| m.id == later.id).unwrap().poll.as_ref().unwrap().closed);

    // Closed by hand before its deadline: the deadline passing says nothing more.
    let close = message_path(&demo, PARENTS, &later, "/close");
    assert_eq!(server.post(&close, json!({}), Some(&teacher)).await.status, StatusCode::OK);
    server.state.clock.advance(3600);
    assert_eq!(close_due().await.unwrap(), 0);
}

#[tokio::test]
async fn channel_readers_vote_and_anonymous_polls_name_nobody() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let student = server.sign_in(demo::MOROZOVA).await;
    let poll = ask(&demo, &admin, GENERAL, json!({ "anonymous": true })).await;

    let voted = vote(&demo, &parent, GENERAL, &poll, &[0]).await;
    assert_eq!(voted.poll.as_ref().unwrap().my_choices, [0]);
    let voted = vote(&demo, &student, GENERAL, &poll, &[0]).await;
    assert_eq!(tally(&voted)[0], ("Вторник".into(), 2, vec![]));
    let seen_by_author: MessagePage =
        server.get(&demo.chat_path(GENERAL, "/messages"), Some(&admin)).await.parse();
    let seen = seen_by_author.messages.last().unwrap().poll.as_ref().unwrap();
    assert!(seen.options.iter().all(|o| o.voter_ids.is_empty()));
    assert!(seen.my_choices.is_empty());
    assert_eq!(
        demo.timeline(&student, GENERAL).await.messages.last().unwrap().poll.as_ref().unwrap().my_choices,
        [0]
    );
    let ServerEvent::MessageUpdated { message, .. } = events(&demo, GENERAL).await.pop().unwrap() else {
        panic!("expected message_updated");
    };
    assert!(message.poll.unwrap().options.iter().all(|o| o.voter_ids.is_empty()));

    // A reader closes nothing of the administrator's.
    let close = message_path(&demo, GENERAL, &poll, "/close");
    server.post(&close, json!({}), Some(&parent)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn a_deleted_poll_shows_nothing_and_takes_no_votes() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let poll = ask(&demo, &parent, PARENTS, json!({})).await;
    vote(&demo, &parent, PARENTS, &poll, &[0]).await;
    let reply = server.delete(&message_path(&demo, PARENTS, &poll, ""), Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let deleted: Message = reply.parse();
    assert!(deleted.deleted);
    assert_eq!((deleted.text.as_str(), deleted.poll, deleted.ack), ("", None, None));
    let path = message_path(&demo, PARENTS, &poll, "/vote");
    server
        .put(&path, json!({ "choices": [1] }), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let close = message_path(&demo, PARENTS, &poll, "/close");
    server.post(&close, json!({}), Some(&parent)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    // Its question cannot be edited, while it lasted or after.
    let edit = server
        .patch(&message_path(&demo, PARENTS, &poll, ""), json!({ "text": "Иначе" }), Some(&parent))
        .await;
    edit.assert_error(StatusCode::FORBIDDEN, "not_your_message");
}

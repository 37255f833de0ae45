//! Young students: a code by a parent's e-mail, siblings under one address, limited until the parent
//! confirms the child by the link sent to the same address.

use api::{EmailProfiles, Me, Message};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{Demo, Reply, TestServer, client_id, demo, field_problems, invite_body};

const MAMA: &str = "mama.ivanova@mail.ru";

async fn request_email_code(server: &TestServer, email: &str) -> Reply {
    server.post("/api/v1/auth/email/code", json!({ "email": email }), None).await
}

fn last_email_code(server: &TestServer, email: &str) -> String {
    server.state.outbox.as_ref().unwrap().last_mail(email).unwrap().code.unwrap()
}

fn last_link_token(server: &TestServer, email: &str) -> String {
    let link = server.state.outbox.as_ref().unwrap().last_mail(email).unwrap().confirmation_link.unwrap();
    link.rsplit('/').next().unwrap().to_string()
}

/// Asks for a code and exchanges it: the profiles of the address and a ticket.
async fn email_profiles(server: &TestServer, email: &str) -> EmailProfiles {
    let sent = request_email_code(server, email).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    let code = last_email_code(server, email);
    let reply =
        server.post("/api/v1/auth/email/session", json!({ "email": email, "code": code }), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

async fn choose(server: &TestServer, ticket: &str, child_id: Option<i64>) -> Reply {
    server.post("/api/v1/auth/email/profile", json!({ "ticket": ticket, "child_id": child_id }), None).await
}

/// A new young student of `email` with a filled-in profile: their cookie. The confirmation link goes
/// to the address then.
async fn young_student(server: &TestServer, email: &str, first_name: &str) -> String {
    let profiles = email_profiles(server, email).await;
    let reply = choose(server, &profiles.ticket, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let cookie = reply.session_cookie();
    let profile = json!({ "first_name": first_name, "last_name": "Иванов", "birth_date": "2018-03-01" });
    let reply = server.put("/api/v1/me/profile", profile, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    cookie
}

async fn me(server: &TestServer, cookie: &str) -> Me {
    server.get("/api/v1/me", Some(cookie)).await.parse()
}

async fn decide(server: &TestServer, token: &str, confirm: bool, cookie: Option<&str>) -> Reply {
    server.post(&format!("/api/v1/child-confirmations/{token}"), json!({ "confirm": confirm }), cookie).await
}

fn class(id: i64) -> Value {
    json!({ "kind": "class", "class_id": id })
}

/// A young student who joined 5А by the class teacher's link for students: the demo and their cookie.
async fn in_5a() -> (Demo, String) {
    let demo = Demo::new().await;
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let invite = demo.invite(&teacher, invite_body(class(demo.class("5А")), "student")).await;
    let cookie = young_student(&demo.server, MAMA, "Петя").await;
    let joined = demo.join(&invite.token, &cookie, json!({})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.text());
    assert_eq!(joined.json()["status"], "joined", "{}", joined.text());
    (demo, cookie)
}

#[tokio::test]
async fn a_code_by_e_mail_signs_in_a_new_young_student() {
    let server = TestServer::new().await;
    let sent = request_email_code(&server, "  Mama.Ivanova@Mail.RU ").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    assert_eq!(sent.json()["email"], MAMA);
    assert_eq!(sent.json()["code_length"], 6);

    let profiles = email_profiles_after_cooldown(&server).await;
    assert!(profiles.children.is_empty());
    let reply = choose(&server, &profiles.ticket, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let me: Me = reply.parse();
    assert_eq!(me.user.phone, "");
    assert!(!me.user.profile_complete);
    let young = me.user.young_student.unwrap();
    assert_eq!(young.parent_email_masked, "m•••@mail.ru");
    assert!(!young.confirmed);

    // The ticket works once.
    choose(&server, &profiles.ticket, None)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_expired");
}

async fn email_profiles_after_cooldown(server: &TestServer) -> EmailProfiles {
    let code = last_email_code(server, MAMA);
    let reply = server.post("/api/v1/auth/email/session", json!({ "email": MAMA, "code": code }), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

#[tokio::test]
async fn a_wrong_code_or_address_is_a_field_error_never_a_server_error() {
    let server = TestServer::new().await;
    for (email, problem) in
        [("", "required"), ("mama", "invalid_characters"), ("мама@почта.рф", "invalid_characters")]
    {
        let reply = request_email_code(&server, email).await;
        assert_eq!(field_problems(&reply), [("email".to_string(), problem.to_string())], "{email}");
    }
    let long = format!("{}@mail.ru", "a".repeat(260));
    assert_eq!(
        field_problems(&request_email_code(&server, &long).await),
        [("email".into(), "too_long".into())]
    );
    let reply = server.post("/api/v1/auth/email/code", json!({ "phone": "+79001234567" }), None).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "bad_request");

    request_email_code(&server, MAMA).await;
    let right = last_email_code(&server, MAMA);
    let wrong: String = right.chars().map(|d| if d == '0' { '1' } else { '0' }).collect();
    let reply =
        server.post("/api/v1/auth/email/session", json!({ "email": MAMA, "code": wrong }), None).await;
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
    let reply =
        server.post("/api/v1/auth/email/session", json!({ "email": "x", "code": "123456" }), None).await;
    assert_eq!(field_problems(&reply), [("email".to_string(), "invalid_characters".to_string())]);
    // A phone's code does not open an address, nor an address's a phone.
    let code = last_email_code(&server, MAMA);
    let reply = server.submit_code("+79001234567", &code).await;
    reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "code_invalid");
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_as_a_known_one() {
    let server = TestServer::new().await;
    young_student(&server, MAMA, "Петя").await;
    server.state.clock.advance(61);
    let known = request_email_code(&server, MAMA).await;
    let unknown = request_email_code(&server, "nobody@mail.ru").await;
    assert_eq!(known.status, unknown.status);
    let mut known = known.json();
    let mut unknown = unknown.json();
    known["email"] = Value::Null;
    unknown["email"] = Value::Null;
    assert_eq!(known, unknown);
}

#[tokio::test]
async fn e_mail_codes_have_the_limits_of_phone_codes_per_address() {
    let server = TestServer::new().await;
    request_email_code(&server, MAMA).await;
    request_email_code(&server, MAMA).await.assert_error(StatusCode::TOO_MANY_REQUESTS, "resend_too_soon");
    // Another address and a phone have buckets of their own.
    assert_eq!(request_email_code(&server, "papa@mail.ru").await.status, StatusCode::OK);
    assert_eq!(server.request_code("+79001234567").await.status, StatusCode::OK);
    for _ in 0..4 {
        server.state.clock.advance(61);
        assert_eq!(request_email_code(&server, MAMA).await.status, StatusCode::OK);
    }
    server.state.clock.advance(61);
    request_email_code(&server, MAMA).await.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

#[tokio::test]
async fn siblings_share_the_address_and_choose_who_signs_in() {
    let server = TestServer::new().await;
    let petya = young_student(&server, MAMA, "Петя").await;
    let petya_id = me(&server, &petya).await.user.id;
    server.state.clock.advance(61);
    let masha = young_student(&server, MAMA, "Маша").await;
    let masha_id = me(&server, &masha).await.user.id;
    assert_ne!(petya_id, masha_id);

    server.state.clock.advance(61);
    let profiles = email_profiles(&server, MAMA).await;
    let names: Vec<(i64, &str, &str)> =
        profiles.children.iter().map(|c| (c.id, c.first_name.as_str(), c.last_name.as_str())).collect();
    assert_eq!(names, [(petya_id, "Петя", "Иванов"), (masha_id, "Маша", "Иванов")]);
    let reply = choose(&server, &profiles.ticket, Some(masha_id)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.parse::<Me>().user.first_name.as_deref(), Some("Маша"));

    // Another address's children are no choice here.
    server.state.clock.advance(61);
    let other = young_student(&server, "papa@mail.ru", "Коля").await;
    let kolya = me(&server, &other).await.user.id;
    server.state.clock.advance(61);
    let profiles = email_profiles(&server, MAMA).await;
    choose(&server, &profiles.ticket, Some(kolya)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn an_e_mail_account_joins_as_a_student_only() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let cookie = young_student(&demo.server, MAMA, "Петя").await;
    for (target, role) in [(class(demo.class("5А")), "parent"), (json!({ "kind": "school" }), "teacher")] {
        let invite = demo.invite(&admin, invite_body(target, role)).await;
        demo.join(&invite.token, &cookie, json!({}))
            .await
            .assert_error(StatusCode::FORBIDDEN, "students_only");
    }
    let invite = demo.invite(&admin, invite_body(class(demo.class("5А")), "student")).await;
    assert_eq!(demo.join(&invite.token, &cookie, json!({})).await.status, StatusCode::OK);
}

/// Every write the limits cover, as the young student of [`in_5a`]: their replies.
async fn writes(demo: &Demo, cookie: &str, poll: &Message) -> Vec<(&'static str, Reply)> {
    let server = &demo.server;
    let message = server
        .post(
            &demo.chat_path("5А", "/messages"),
            json!({ "client_id": client_id(), "text": "Привет" }),
            Some(cookie),
        )
        .await;
    let asked = server
        .post(
            &demo.chat_path("5А", "/polls"),
            json!({ "client_id": client_id(), "question": "Когда?", "options": ["Сегодня", "Завтра"] }),
            Some(cookie),
        )
        .await;
    let vote = server
        .put(
            &demo.chat_path("5А", &format!("/messages/{}/vote", poll.id)),
            json!({ "choices": [0] }),
            Some(cookie),
        )
        .await;
    let teacher_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = ?")
        .bind(demo::KUZNETSOVA)
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    let direct =
        server.post(&demo.school_path("/direct"), json!({ "user_id": teacher_id }), Some(cookie)).await;
    let upload = server
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/files")
                .header(header::HOST, "localhost:8080")
                .header(api::CSRF_HEADER, "1")
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .header("x-file-name", "note.txt")
                .body(Body::from("домашнее задание"))
                .unwrap(),
        )
        .await;
    vec![("message", message), ("poll", asked), ("vote", vote), ("direct", direct), ("upload", upload)]
}

#[tokio::test]
async fn a_young_student_reads_but_writes_nothing_until_the_parent_confirms() {
    let (demo, cookie) = in_5a().await;
    demo.server.state.clock.advance(61);
    let teacher = demo.server.sign_in(demo::KUZNETSOVA).await;
    let poll: Message = demo
        .server
        .post(
            &demo.chat_path("5А", "/polls"),
            json!({ "client_id": client_id(), "question": "Экскурсия?", "options": ["Да", "Нет"] }),
            Some(&teacher),
        )
        .await
        .parse();
    // Reading works.
    assert_eq!(
        demo.server.get(&demo.chat_path("5А", "/messages"), Some(&cookie)).await.status,
        StatusCode::OK
    );

    for (what, reply) in writes(&demo, &cookie, &poll).await {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}: {}", reply.text());
        assert_eq!(reply.json()["code"], "child_not_confirmed", "{what}");
    }

    let token = last_link_token(&demo.server, MAMA);
    let shown = demo.server.get(&format!("/api/v1/child-confirmations/{token}"), None).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text());
    assert_eq!(
        shown.json(),
        json!({ "first_name": "Петя", "last_name": "Иванов", "birth_date": "2018-03-01",
                "schools": [{ "name": "Средняя общеобразовательная школа № 7", "classes": ["5А"] }] })
    );
    // The child cannot confirm themselves.
    decide(&demo.server, &token, true, Some(&cookie)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(decide(&demo.server, &token, true, None).await.status, StatusCode::NO_CONTENT);
    assert!(me(&demo.server, &cookie).await.user.young_student.unwrap().confirmed);

    for (what, reply) in writes(&demo, &cookie, &poll).await {
        assert!(reply.status.is_success(), "{what}: {}", reply.text());
    }
}

#[tokio::test]
async fn a_confirmation_link_works_once_and_for_fourteen_days() {
    let server = TestServer::new().await;
    let cookie = young_student(&server, MAMA, "Петя").await;
    let first = last_link_token(&server, MAMA);

    server
        .get("/api/v1/child-confirmations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    decide(&server, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true, None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // «Это не мой ребёнок»: recorded, the child stays limited, the link is used up.
    assert_eq!(decide(&server, &first, false, None).await.status, StatusCode::NO_CONTENT);
    let decision: String = sqlx::query_scalar("SELECT decision FROM child_confirmations ORDER BY id LIMIT 1")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    assert_eq!(decision, "declined");
    let standing = me(&server, &cookie).await.user.young_student.unwrap();
    assert!(!standing.confirmed);
    assert!(standing.declined, "the child's banner says the parent declined");
    decide(&server, &first, true, None).await.assert_error(StatusCode::GONE, "confirmation_expired");
    server
        .get(&format!("/api/v1/child-confirmations/{first}"), None)
        .await
        .assert_error(StatusCode::GONE, "confirmation_expired");

    // The child asks again: a new link, which expires after 14 days.
    server.state.clock.advance(61);
    let resend = server.post("/api/v1/me/child-confirmation", json!({}), Some(&cookie)).await;
    assert_eq!(resend.status, StatusCode::NO_CONTENT, "{}", resend.text());
    let second = last_link_token(&server, MAMA);
    assert_ne!(first, second);
    server.state.clock.advance(14 * 24 * 3600);
    decide(&server, &second, true, None).await.assert_error(StatusCode::GONE, "confirmation_expired");

    // Only the link's hash is kept.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM child_confirmations")
        .fetch_all(&server.state.db)
        .await
        .unwrap();
    assert!(stored.iter().all(|hash| hash.len() == 32 && hash != second.as_bytes()));
}

#[tokio::test]
async fn the_link_is_resent_on_request_within_limits() {
    let server = TestServer::new().await;
    let cookie = young_student(&server, MAMA, "Петя").await;
    let path = "/api/v1/me/child-confirmation";
    server
        .post(path, json!({}), Some(&cookie))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "resend_too_soon");
    for _ in 0..4 {
        server.state.clock.advance(61);
        assert_eq!(server.post(path, json!({}), Some(&cookie)).await.status, StatusCode::NO_CONTENT);
    }
    server.state.clock.advance(61);
    server
        .post(path, json!({}), Some(&cookie))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");

    // Once confirmed there is nothing to resend; a grown-up's account has nothing to resend either.
    let token = last_link_token(&server, MAMA);
    assert_eq!(decide(&server, &token, true, None).await.status, StatusCode::NO_CONTENT);
    server.state.clock.advance(3600);
    server.post(path, json!({}), Some(&cookie)).await.assert_error(StatusCode::CONFLICT, "already_decided");
    let grown_up = server.sign_up("+79001234567", "Анна", "Иванова").await;
    server.post(path, json!({}), Some(&grown_up)).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    server.post(path, json!({}), None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn a_parent_signed_in_to_the_childs_school_is_linked_to_the_child() {
    let (demo, cookie) = in_5a().await;
    let child_id = me(&demo.server, &cookie).await.user.id;
    let parent = demo.server.sign_in(demo::LEBEDEVA).await;
    let token = last_link_token(&demo.server, MAMA);
    assert_eq!(decide(&demo.server, &token, true, Some(&parent)).await.status, StatusCode::NO_CONTENT);
    let linked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM parent_links WHERE child_id = ? AND school_id = ?")
            .bind(child_id)
            .bind(demo.school_id)
            .fetch_one(&demo.server.state.db)
            .await
            .unwrap();
    assert_eq!(linked, 1);
}

/// The school's administrators see on a young student's card whether the parent has answered.
#[tokio::test]
async fn the_childs_card_tells_administrators_what_the_parent_answered() {
    let (demo, cookie) = in_5a().await;
    let child_id = me(&demo.server, &cookie).await.user.id;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let card = |admin: String| {
        let server = &demo.server;
        let path = format!("/api/v1/schools/{}/people/{child_id}", demo.school_id);
        async move { server.get(&path, Some(&admin)).await.parse::<api::PersonCard>() }
    };
    let young = card(admin.clone()).await.young_student.unwrap();
    assert_eq!((young.confirmed, young.declined), (false, false));
    assert_eq!(young.parent_email_masked, "m•••@mail.ru");

    decide(&demo.server, &last_link_token(&demo.server, MAMA), false, None).await;
    let young = card(admin.clone()).await.young_student.unwrap();
    assert_eq!((young.confirmed, young.declined), (false, true));

    // The parent answered by mistake: a new link, confirmed.
    demo.server.state.clock.advance(61);
    demo.server.post("/api/v1/me/child-confirmation", json!({}), Some(&cookie)).await;
    decide(&demo.server, &last_link_token(&demo.server, MAMA), true, None).await;
    let young = card(admin.clone()).await.young_student.unwrap();
    assert_eq!((young.confirmed, young.declined), (true, false));
}

/// The request's `Host` is the sender's to choose: a child (or anyone) asking with a forged one must
/// not get a link to their own site into the parent's e-mail.
#[tokio::test]
async fn the_parents_link_points_at_the_server_whatever_host_the_request_names() {
    let server = TestServer::with(|config| config.listen_url = Some("http://127.0.0.1:9911".into())).await;
    young_student(&server, MAMA, "Петя").await;
    let link = server.state.outbox.as_ref().unwrap().last_mail(MAMA).unwrap().confirmation_link.unwrap();
    assert!(link.starts_with("http://127.0.0.1:9911/confirm-child/"), "{link}");

    let server =
        TestServer::with(|config| config.public_url = Some("https://parta.school.example".into())).await;
    young_student(&server, MAMA, "Петя").await;
    let link = server.state.outbox.as_ref().unwrap().last_mail(MAMA).unwrap().confirmation_link.unwrap();
    assert!(link.starts_with("https://parta.school.example/confirm-child/"), "{link}");
}

#[tokio::test]
async fn the_dev_outbox_tells_an_addresss_code_and_link() {
    let server = TestServer::new().await;
    young_student(&server, MAMA, "Петя").await;
    let reply = server.get("/api/v1/dev/outbox?email=Mama.Ivanova@mail.ru", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["email"], MAMA);
    assert_eq!(body["code"].as_str().unwrap().len(), 6);
    assert!(body["confirmation_link"].as_str().unwrap().starts_with("http://localhost:8080/confirm-child/"));
    server
        .get("/api/v1/dev/outbox?email=nobody@mail.ru", None)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

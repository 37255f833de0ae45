//! The administrator's screens: the school's information, its classes and their teachers, the audit
//! log and the year-end transfer.

use api::{AuditAction, AuditPage, BulkCreated, ClassSummary, SchoolInfo, SystemEvent, YearEnd};
use axum::http::{Method, StatusCode};
use parta_server::schools;
use serde_json::{Value, json};

use crate::support::{Demo, Reply, client_id, demo, field_problems, invite_body};

/// The id of the person signed in with `cookie`.
async fn user_id(demo: &Demo, cookie: &str) -> i64 {
    let me: api::Me = demo.server.get("/api/v1/me", Some(cookie)).await.parse();
    me.user.id
}

async fn classes(demo: &Demo, admin: &str) -> Vec<ClassSummary> {
    let reply = demo.server.get(&demo.school_path("/classes"), Some(admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

async fn class_named(demo: &Demo, admin: &str, name: &str) -> ClassSummary {
    classes(demo, admin).await.into_iter().find(|class| class.name == name).unwrap()
}

fn class_path(class_id: i64, rest: &str) -> String {
    format!("/api/v1/classes/{class_id}{rest}")
}

async fn patch_class(demo: &Demo, admin: &str, class_id: i64, changes: Value) -> ClassSummary {
    let reply = demo.server.patch(&class_path(class_id, ""), changes, Some(admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

async fn create_class(demo: &Demo, admin: &str, name: &str) -> ClassSummary {
    let reply = demo.server.post(&demo.school_path("/classes"), json!({ "name": name }), Some(admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.parse()
}

async fn audit(demo: &Demo, admin: &str, query: &str) -> AuditPage {
    let reply = demo.server.get(&demo.school_path(&format!("/audit{query}")), Some(admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.parse()
}

/// The newest entries of the log as `(action, class_name, from, to)`, newest first.
async fn recent(
    demo: &Demo,
    admin: &str,
    count: usize,
) -> Vec<(AuditAction, Option<String>, Option<String>, Option<String>)> {
    let page = audit(demo, admin, "").await;
    page.entries.into_iter().take(count).map(|e| (e.action, e.class_name, e.from, e.to)).collect()
}

fn s(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// The titles of the chats the person is in.
async fn chat_titles(demo: &Demo, cookie: &str) -> Vec<String> {
    demo.chats_of(cookie).await.into_iter().map(|(title, _)| title).collect()
}

#[tokio::test]
async fn an_uploaded_image_becomes_the_logo_every_member_sees() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    server
        .get(&demo.school_path("/logo"), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Only an administrator sets it, and only from an image of their own not sent anywhere.
    let picture = crate::files::upload(server, &admin, "герб.png", &crate::files::png(900, 600), false).await;
    let theirs = crate::files::upload(server, &teacher, "лого.png", &crate::files::png(40, 40), false).await;
    let text = crate::files::upload(server, &admin, "устав.txt", "Устав школы".as_bytes(), false).await;
    let set = |file_id: i64, cookie: &str| {
        let path = demo.school_path("/logo");
        let cookie = cookie.to_string();
        async move { server.put(&path, json!({ "file_id": file_id }), Some(&cookie)).await }
    };
    set(picture.id, &teacher).await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(field_problems(&set(theirs.id, &admin).await), [("file_id".into(), "required".into())]);
    assert_eq!(field_problems(&set(text.id, &admin).await), [("file_id".into(), "not_allowed".into())]);
    let reply = server.put(&demo.school_path("/logo"), json!({ "file_id": "герб" }), Some(&admin)).await;
    assert!(reply.status.is_client_error(), "{}", reply.status);

    let info: SchoolInfo = set(picture.id, &admin).await.parse();
    let first = info.logo.expect("a logo version");
    let me: api::Me = server.get("/api/v1/me", Some(&parent)).await.parse();
    assert_eq!(me.schools[0].school.logo, Some(first));
    let reply = server.get(&demo.school_path(&format!("/logo?v={first}")), Some(&parent)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "image/jpeg");
    assert_eq!(reply.header("cache-control"), "private, max-age=31536000, immutable");
    let logo = image::load_from_memory(&reply.body).unwrap();
    assert_eq!((logo.width(), logo.height()), (480, 320), "the small copy, not the upload");
    // The upload itself is gone: it was only the way in.
    let gone = server.get(&format!("/api/v1/files/{}/x.png", picture.id), Some(&admin)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // Another logo gets a new version; removing it too, and nobody outside the school sees any.
    let again = crate::files::upload(server, &admin, "герб.png", &crate::files::png(64, 64), false).await;
    let second = set(again.id, &admin).await.parse::<SchoolInfo>().logo.unwrap();
    assert!(second > first);
    assert_eq!(server.delete(&demo.school_path("/logo"), Some(&teacher)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(server.delete(&demo.school_path("/logo"), Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(server.get(&demo.school_path("/info"), Some(&parent)).await.parse::<SchoolInfo>().logo, None);
    server
        .get(&demo.school_path("/logo"), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        recent(&demo, &admin, 2).await,
        [
            (AuditAction::SchoolLogoRemoved, None, None, None),
            (AuditAction::SchoolLogoChanged, None, None, None)
        ]
    );
    let stranger = server.sign_up("+79001112233", "Пётр", "Чужой").await;
    let reply = server.get(&demo.school_path("/logo"), Some(&stranger)).await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn members_read_the_schools_information_and_administrators_edit_it() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let info: SchoolInfo = server.get(&demo.school_path("/info"), Some(&parent)).await.parse();
    assert_eq!((info.id, info.name.as_str()), (demo.school_id, parta_server::demo::SCHOOL_NAME));
    assert_eq!(info.journal_url, None);

    let body = json!({
        "name": "  МБОУ СОШ № 7 ", "short_name": "Школа № 7", "region": "  ", "municipality": "г. Екатеринбург",
        "address": "ул. Ленина, 1", "phone": "8 (343) 555-12-34", "email": "school7@mail.ru",
        "website": "school7.ru", "journal_url": "HTTPS://dnevnik.ru/journal",
    });
    let reply = server.put(&demo.school_path("/info"), body, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let stored: SchoolInfo = reply.parse();
    assert_eq!(
        stored,
        SchoolInfo {
            id: demo.school_id,
            name: "МБОУ СОШ № 7".into(),
            short_name: s("Школа № 7"),
            region: None,
            municipality: s("г. Екатеринбург"),
            address: s("ул. Ленина, 1"),
            phone: s("+73435551234"),
            email: s("school7@mail.ru"),
            website: s("https://school7.ru"),
            journal_url: s("https://dnevnik.ru/journal"),
            logo: None,
        }
    );
    assert_eq!(server.get(&demo.school_path("/info"), Some(&parent)).await.parse::<SchoolInfo>(), stored);
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::SchoolInfoUpdated, None, None, None)]);

    let wrong = json!({
        "name": " ", "address": "д".repeat(api::SCHOOL_FIELD_MAX_CHARS + 1), "phone": "12345",
        "email": "school7", "website": "javascript:alert(1)", "journal_url": "школа",
    });
    let reply = server.put(&demo.school_path("/info"), wrong, Some(&admin)).await;
    let problems = field_problems(&reply);
    let expected = [
        ("name", "required"),
        ("address", "too_long"),
        ("phone", "invalid_characters"),
        ("email", "invalid_characters"),
        ("website", "not_allowed"),
        ("journal_url", "invalid_characters"),
    ];
    assert_eq!(problems, expected.map(|(f, p)| (f.to_string(), p.to_string())));
    let too_long = json!({ "name": "ш".repeat(201) });
    assert_eq!(
        field_problems(&server.put(&demo.school_path("/info"), too_long, Some(&admin)).await),
        [("name".to_string(), "too_long".to_string())]
    );
    let not_json = server.put(&demo.school_path("/info"), json!({ "name": 7 }), Some(&admin)).await;
    not_json.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(server.get(&demo.school_path("/info"), Some(&parent)).await.parse::<SchoolInfo>(), stored);
}

#[tokio::test]
async fn classes_are_listed_with_their_people_and_chats() {
    let demo = Demo::new().await;
    let admin = demo.server.sign_in(demo::ADMIN).await;
    let list = classes(&demo, &admin).await;
    let names: Vec<&str> = list.iter().map(|class| class.name.as_str()).collect();
    assert_eq!(names, ["Учительская", "5А", "5Б", "9В"]);
    assert!(list[0].staff_room && !list[1].staff_room);
    assert_eq!(list[0].teachers.len(), 4, "every teacher is in «Учительская»");

    let class_5a = &list[1];
    assert_eq!((class_5a.grade, class_5a.students, class_5a.parents), (Some(5), 3, 3));
    let teachers: Vec<&str> = class_5a.teachers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(teachers, ["Елена Кузнецова"]);
    let chats: Vec<(&str, api::ChatKind)> =
        class_5a.chats.iter().map(|c| (c.title.as_str(), c.kind)).collect();
    assert_eq!(
        chats,
        [
            ("5А", api::ChatKind::Class),
            ("Родители 5А", api::ChatKind::Parents),
            ("Математика 5А", api::ChatKind::Subject)
        ]
    );

    patch_class(&demo, &admin, demo.class("5А"), json!({ "archived": true })).await;
    let names: Vec<String> = classes(&demo, &admin).await.into_iter().map(|class| class.name).collect();
    assert_eq!(names, ["Учительская", "5Б", "9В", "5А"], "archived classes last");
}

#[tokio::test]
async fn a_class_is_created_and_a_bad_or_taken_name_is_a_field_error() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let path = demo.school_path("/classes");
    let reply = server.post(&path, json!({ "name": " 7Г ", "size": 28 }), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let class: ClassSummary = reply.parse();
    assert_eq!(
        (class.name.as_str(), class.grade, class.size, class.archived),
        ("7Г", Some(7), Some(28), false)
    );
    let chats: Vec<&str> = class.chats.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(chats, ["7Г", "Родители 7Г"]);
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::ClassCreated, s("7Г"), None, None)]);

    let cases = [
        (json!({ "name": "7г" }), vec![("name", "not_allowed")]),
        (json!({ "name": "учительская" }), vec![("name", "not_allowed")]),
        (json!({ "name": "  " }), vec![("name", "required")]),
        (json!({ "name": "7".repeat(51) }), vec![("name", "too_long")]),
        (json!({ "name": "8А", "size": 61 }), vec![("size", "out_of_range")]),
        (json!({ "name": "", "size": 0 }), vec![("name", "required"), ("size", "out_of_range")]),
    ];
    for (body, expected) in cases {
        let reply = server.post(&path, body.clone(), Some(&admin)).await;
        let expected: Vec<(String, String)> =
            expected.into_iter().map(|(f, p)| (f.to_string(), p.to_string())).collect();
        assert_eq!(field_problems(&reply), expected, "{body}");
    }
    for body in [json!({ "name": 5 }), json!({}), json!({ "name": "8А", "size": -1 })] {
        server.post(&path, body, Some(&admin)).await.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    }
    assert_eq!(classes(&demo, &admin).await.len(), 5, "nothing else was made");
}

#[tokio::test]
async fn classes_are_made_in_bulk_and_existing_names_are_skipped() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let path = demo.school_path("/classes/bulk");
    let reply =
        server.post(&path, json!({ "grades": [6, 5, 5], "letters": ["а", " Б ", "в"] }), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let made: BulkCreated = reply.parse();
    let names: Vec<&str> = made.created.iter().map(|class| class.name.as_str()).collect();
    assert_eq!(names, ["5В", "6А", "6Б", "6В"]);
    assert_eq!(made.skipped, ["5А", "5Б"]);
    assert_eq!(made.created[1].grade, Some(6));
    assert_eq!(made.created[1].chats.len(), 2);
    let created = audit(&demo, &admin, "?action=class_created").await;
    assert_eq!(created.entries.len(), 4);

    let cases = [
        (json!({ "grades": [], "letters": ["А"] }), ("grades", "required")),
        (json!({ "grades": [0, 5], "letters": ["А"] }), ("grades", "out_of_range")),
        (json!({ "grades": [12], "letters": ["А"] }), ("grades", "out_of_range")),
        (json!({ "grades": [5], "letters": [] }), ("letters", "required")),
        (json!({ "grades": [5], "letters": [" "] }), ("letters", "required")),
        (json!({ "grades": [5], "letters": ["1"] }), ("letters", "invalid_characters")),
        (json!({ "grades": [5], "letters": ["А-"] }), ("letters", "invalid_characters")),
        (json!({ "grades": [5], "letters": ["ФМШК"] }), ("letters", "too_long")),
        (
            json!({ "grades": [5], "letters": ["А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К", "Л"] }),
            ("letters", "out_of_range"),
        ),
    ];
    for (body, (field, problem)) in cases {
        let reply = server.post(&path, body.clone(), Some(&admin)).await;
        assert_eq!(field_problems(&reply), [(field.to_string(), problem.to_string())], "{body}");
    }
    let reply = server.post(&path, json!({ "grades": [300], "letters": ["А"] }), Some(&admin)).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "bad_request");

    let all: Vec<u8> = (1..=11).collect();
    let letters = ["А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К"];
    let reply = server.post(&path, json!({ "grades": all, "letters": letters }), Some(&admin)).await;
    let made: BulkCreated = reply.parse();
    assert_eq!((made.created.len(), made.skipped.len()), (110 - 7, 7), "the most one call makes");
}

#[tokio::test]
async fn renaming_a_class_renames_its_chats_that_keep_their_default_titles() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let renamed = json!({ "title": "Родители нашего класса" });
    let reply = server.patch(&demo.chat_path("Родители 5А", ""), renamed, Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

    let class = patch_class(&demo, &admin, demo.class("5А"), json!({ "name": " 6М " })).await;
    assert_eq!((class.name.as_str(), class.grade), ("6М", Some(6)));
    let titles: Vec<&str> = class.chats.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["6М", "Родители нашего класса", "Математика 5А"]);
    let timeline = demo.timeline(&teacher, "5А").await;
    assert_eq!(timeline.messages.last().unwrap().text, "Название чата изменено: «6М»");
    assert_eq!(
        timeline.messages.last().unwrap().system,
        Some(SystemEvent::ChatRenamed { title: "6М".into() })
    );
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::ClassRenamed, s("5А"), s("5А"), s("6М"))]);

    let created = create_class(&demo, &admin, "5Д").await;
    let class = patch_class(&demo, &admin, created.id, json!({ "name": "Кадетский" })).await;
    assert_eq!((class.grade, class.chats[1].title.as_str()), (None, "Родители Кадетский"));
    let unchanged = patch_class(&demo, &admin, demo.class("9В"), json!({ "name": "9В" })).await;
    assert_eq!(unchanged.name, "9В");
    assert_eq!(recent(&demo, &admin, 1).await[0].3, s("Кадетский"), "an unchanged name records nothing");

    let path = class_path(demo.class("9В"), "");
    let taken = server.patch(&path, json!({ "name": "кадетский" }), Some(&admin)).await;
    assert_eq!(field_problems(&taken), [("name".to_string(), "not_allowed".to_string())]);
    let case_only = patch_class(&demo, &admin, demo.class("9В"), json!({ "name": "9в" })).await;
    assert_eq!(case_only.name, "9в", "a class may change the case of its own name");
}

#[tokio::test]
async fn the_staff_room_is_never_renamed_archived_deleted_or_given_teachers() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let sokolov = user_id(&demo, &server.sign_in(demo::SOKOLOV).await).await;
    let staff_room = demo.class("Учительская");
    let path = class_path(staff_room, "");
    for changes in [json!({ "name": "Педагоги" }), json!({ "archived": true }), json!({ "size": 20 })]
    {
        server.patch(&path, changes, Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    }
    server.delete(&path, Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    let teacher = class_path(staff_room, &format!("/teachers/{sokolov}"));
    server.put(&teacher, json!({}), Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    server.delete(&teacher, Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(class_named(&demo, &admin, "Учительская").await.teachers.len(), 4);
    assert!(audit(&demo, &admin, "").await.entries.is_empty());
}

#[tokio::test]
async fn size_class_teacher_and_teachers_of_a_class() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let sokolov_cookie = server.sign_in(demo::SOKOLOV).await;
    let sokolov = user_id(&demo, &sokolov_cookie).await;
    let student = user_id(&demo, &server.sign_in(demo::LEBEDEV).await).await;
    let created = create_class(&demo, &admin, "5Д").await;
    let class_5b = created.id;

    let class = patch_class(&demo, &admin, class_5b, json!({ "size": 25, "homeroom_id": sokolov })).await;
    assert_eq!(class.size, Some(25));
    assert_eq!(class.homeroom.as_ref().map(|h| h.id), Some(sokolov));
    assert_eq!(class.teachers.iter().map(|t| t.id).collect::<Vec<_>>(), [sokolov]);
    let titles = chat_titles(&demo, &sokolov_cookie).await;
    assert!(titles.contains(&"5Д".to_string()) && titles.contains(&"Родители 5Д".to_string()), "{titles:?}");
    let timeline = format!("/api/v1/chats/{}/messages", created.chats[0].id);
    let timeline: api::MessagePage = server.get(&timeline, Some(&sokolov_cookie)).await.parse();
    assert_eq!(timeline.messages.last().unwrap().text, "Андрей Соколов — новый участник чата");
    let joined =
        SystemEvent::MemberJoined { user_id: Some(sokolov), name: "Андрей Соколов".into() };
    assert_eq!(timeline.messages.last().unwrap().system, Some(joined));
    let expected = [
        (AuditAction::HomeroomSet, s("5Д"), None, None),
        (AuditAction::TeacherAssigned, s("5Д"), None, None),
        (AuditAction::ClassSizeSet, s("5Д"), None, s("25")),
    ];
    assert_eq!(recent(&demo, &admin, 3).await, expected);
    let subjects = audit(&demo, &admin, &format!("?subject_id={sokolov}")).await;
    assert_eq!(subjects.entries.len(), 2);

    let class = patch_class(&demo, &admin, class_5b, json!({ "homeroom_id": null, "size": null })).await;
    assert_eq!((class.homeroom, class.size, class.teachers.len()), (None, None, 1), "still a teacher of it");
    let again =
        server.put(&class_path(class_5b, &format!("/teachers/{sokolov}")), json!({}), Some(&admin)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(
        recent(&demo, &admin, 1).await[0].0,
        AuditAction::HomeroomCleared,
        "assigning again records nothing"
    );

    let path = class_path(class_5b, "");
    let wrong = server.patch(&path, json!({ "homeroom_id": student, "size": 61 }), Some(&admin)).await;
    let expected = [("size", "out_of_range"), ("homeroom_id", "not_allowed")];
    assert_eq!(field_problems(&wrong), expected.map(|(f, p)| (f.to_string(), p.to_string())));
    let nobody = server.patch(&path, json!({ "homeroom_id": 999_999 }), Some(&admin)).await;
    assert_eq!(field_problems(&nobody), [("homeroom_id".to_string(), "not_allowed".to_string())]);
    let not_a_teacher = class_path(class_5b, &format!("/teachers/{student}"));
    server.put(&not_a_teacher, json!({}), Some(&admin)).await.assert_error(StatusCode::CONFLICT, "conflict");

    // Unassigning the class teacher clears the class teacher and takes them out of the class's chats.
    patch_class(&demo, &admin, class_5b, json!({ "homeroom_id": sokolov })).await;
    let reply = server.delete(&class_path(class_5b, &format!("/teachers/{sokolov}")), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let class: ClassSummary = reply.parse();
    assert_eq!((class.homeroom, class.teachers.len()), (None, 0));
    let titles = chat_titles(&demo, &sokolov_cookie).await;
    assert!(!titles.iter().any(|t| t.ends_with("5Д")), "{titles:?}");
    // Nobody left in the class chat to ask: its newest line, as stored.
    let stored: String =
        sqlx::query_scalar("SELECT system_event FROM messages WHERE chat_id = ? ORDER BY id DESC LIMIT 1")
            .bind(created.chats[0].id)
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    let removed =
        SystemEvent::MemberRemoved { user_id: Some(sokolov), name: "Андрей Соколов".into() };
    assert_eq!(serde_json::from_str::<SystemEvent>(&stored).unwrap(), removed);
    let expected = [
        (AuditAction::HomeroomCleared, s("5Д"), None, None),
        (AuditAction::TeacherUnassigned, s("5Д"), None, None),
    ];
    assert_eq!(recent(&demo, &admin, 2).await, expected);
    let twice = server.delete(&class_path(class_5b, &format!("/teachers/{sokolov}")), Some(&admin)).await;
    assert_eq!(twice.status, StatusCode::OK);
    assert_eq!(recent(&demo, &admin, 1).await[0].0, AuditAction::HomeroomCleared);
}

#[tokio::test]
async fn only_an_empty_class_is_deleted() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let db = &server.state.db;
    server
        .delete(&class_path(demo.class("5А"), ""), Some(&admin))
        .await
        .assert_error(StatusCode::CONFLICT, "class_not_empty");

    // A waiting join request keeps a class.
    let class = create_class(&demo, &admin, "7А").await;
    let mut body = invite_body(json!({ "kind": "class", "class_id": class.id }), "student");
    body["requires_approval"] = json!(true);
    let invite = demo.invite(&admin, body).await;
    let newcomer = demo.newcomer("+79001110001", "Павел", "Новиков").await;
    let joined = demo.join(&invite.token, &newcomer, json!({})).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.text());
    let path = class_path(class.id, "");
    server.delete(&path, Some(&admin)).await.assert_error(StatusCode::CONFLICT, "class_not_empty");
    let requests: Vec<api::JoinRequest> =
        server.get(&demo.school_path("/join-requests"), Some(&admin)).await.parse();
    let reject = format!("/api/v1/join-requests/{}/reject", requests[0].id);
    assert_eq!(server.post(&reject, json!({}), Some(&admin)).await.status, StatusCode::OK);

    assert_eq!(server.delete(&path, Some(&admin)).await.status, StatusCode::NO_CONTENT);
    assert!(!classes(&demo, &admin).await.iter().any(|c| c.name == "7А"));
    let chats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chats WHERE title IN ('7А', 'Родители 7А')")
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(chats, 0, "its chats went with it");
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::ClassDeleted, s("7А"), None, None)]);
    server.delete(&path, Some(&admin)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    // A teacher who came and went leaves only notices in its chats, which do not count; a message does.
    let sokolov_cookie = server.sign_in(demo::SOKOLOV).await;
    let sokolov = user_id(&demo, &sokolov_cookie).await;
    for name in ["7Б", "7В"] {
        let class = create_class(&demo, &admin, name).await;
        let teacher = class_path(class.id, &format!("/teachers/{sokolov}"));
        assert_eq!(server.put(&teacher, json!({}), Some(&admin)).await.status, StatusCode::OK);
        if name == "7В" {
            let chat = format!("/api/v1/chats/{}/messages", class.chats[0].id);
            let reply = server
                .post(
                    &chat,
                    json!({ "client_id": client_id(), "text": "Здравствуйте!" }),
                    Some(&sokolov_cookie),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        }
        assert_eq!(server.delete(&teacher, Some(&admin)).await.status, StatusCode::OK);
        let reply = server.delete(&class_path(class.id, ""), Some(&admin)).await;
        if name == "7В" {
            reply.assert_error(StatusCode::CONFLICT, "class_not_empty");
        } else {
            assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text());
        }
    }
}

#[tokio::test]
async fn the_chats_of_an_archived_class_are_read_only() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let student = server.sign_in(demo::LEBEDEV).await;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let message = demo.post_message(&student, "5А", "Всем привет").await;
    let poll_body =
        json!({ "client_id": client_id(), "question": "Когда?", "options": ["Вторник", "Среда"] });
    let reply = server.post(&demo.chat_path("5А", "/polls"), poll_body, Some(&teacher)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let poll: api::Message = reply.parse();

    let class = patch_class(&demo, &admin, demo.class("5А"), json!({ "archived": true })).await;
    assert!(class.archived);
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::ClassArchived, s("5А"), None, None)]);
    let chat: api::Chat = server.get(&demo.chat_path("5А", ""), Some(&student)).await.parse();
    assert!(!chat.can_post);
    assert_eq!(demo.timeline(&student, "5А").await.messages.last().unwrap().id, poll.id, "still readable");
    let text = json!({ "client_id": client_id(), "text": "Ещё" });
    let refused = [
        server.post(&demo.chat_path("5А", "/messages"), text, Some(&student)).await,
        server
            .patch(
                &demo.chat_path("5А", &format!("/messages/{}", message.id)),
                json!({ "text": "Исправлено" }),
                Some(&student),
            )
            .await,
        server
            .post(
                &demo.chat_path("5А", "/polls"),
                json!({ "client_id": client_id(), "question": "Ещё?", "options": ["Да", "Нет"] }),
                Some(&teacher),
            )
            .await,
        server
            .put(
                &demo.chat_path("5А", &format!("/messages/{}/vote", poll.id)),
                json!({ "choices": [0] }),
                Some(&student),
            )
            .await,
        server
            .post(&demo.chat_path("5А", &format!("/messages/{}/close", poll.id)), json!({}), Some(&teacher))
            .await,
        server
            .post(
                &demo.chat_path("Родители 5А", "/messages"),
                json!({ "client_id": client_id(), "text": "?" }),
                Some(&teacher),
            )
            .await,
    ];
    for reply in refused {
        reply.assert_error(StatusCode::FORBIDDEN, "cannot_post");
    }

    let class = patch_class(&demo, &admin, demo.class("5А"), json!({ "archived": false })).await;
    assert!(!class.archived);
    assert_eq!(recent(&demo, &admin, 1).await[0].0, AuditAction::ClassRestored);
    demo.post_message(&student, "5А", "Снова можно").await;
}

#[tokio::test]
async fn the_year_end_transfer_moves_every_class_a_grade_up() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let student = server.sign_in(demo::LEBEDEV).await;
    let class_10a = create_class(&demo, &admin, "10А").await;
    let class_11a = create_class(&demo, &admin, "11 А").await;
    create_class(&demo, &admin, "Кадетский").await;
    let path = demo.school_path("/year-end");

    let preview: YearEnd = server.get(&path, Some(&admin)).await.parse();
    let moves: Vec<(&str, Option<&str>)> =
        preview.classes.iter().map(|c| (c.name.as_str(), c.becomes.as_deref())).collect();
    assert_eq!(
        moves,
        [("5А", Some("6А")), ("5Б", Some("6Б")), ("9В", Some("10В")), ("10А", Some("11А")), ("11 А", None)]
    );

    let mut stale = preview.clone();
    stale.classes.pop();
    let reply = server.post(&path, serde_json::to_value(&stale).unwrap(), Some(&admin)).await;
    reply.assert_error(StatusCode::CONFLICT, "conflict");
    let mut altered = preview.clone();
    altered.classes[0].becomes = Some("7А".into());
    let reply = server.post(&path, serde_json::to_value(&altered).unwrap(), Some(&admin)).await;
    reply.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(class_named(&demo, &admin, "5А").await.grade, Some(5), "nothing moved");

    let mut reordered = preview.clone();
    reordered.classes.reverse();
    let reply = server.post(&path, serde_json::to_value(&reordered).unwrap(), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let after: Vec<ClassSummary> = reply.parse();
    let year = server.state.clock.now().to_offset(parta_server::invites::MOSCOW).year();
    let graduates = format!("11 А (выпуск {year})");
    let names: Vec<(&str, Option<u8>, bool)> =
        after.iter().map(|c| (c.name.as_str(), c.grade, c.archived)).collect();
    assert_eq!(
        names,
        [
            ("Учительская", None, false),
            ("6А", Some(6), false),
            ("6Б", Some(6), false),
            ("10В", Some(10), false),
            ("11А", Some(11), false),
            ("Кадетский", None, false),
            (graduates.as_str(), Some(11), true),
        ]
    );
    assert_eq!(after[4].id, class_10a.id);
    assert_eq!(after[6].id, class_11a.id);
    let chats: Vec<&str> = after[1].chats.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(chats, ["6А", "Родители 6А", "Математика 5А"]);
    assert_eq!(after[6].chats[0].title, graduates);
    let titles = chat_titles(&demo, &student).await;
    assert!(titles.contains(&"6А".to_string()), "{titles:?}");

    let transferred = audit(&demo, &admin, "?action=year_transferred").await;
    assert_eq!(transferred.entries[0].to.as_deref(), Some("5"));
    let renamed = audit(&demo, &admin, "?action=class_renamed").await;
    assert_eq!(renamed.entries.len(), 5);
    let archived = audit(&demo, &admin, "?action=class_archived").await;
    assert_eq!(archived.entries[0].class_name.as_deref(), Some("11 А"));

    // A new name held by a class the transfer does not move stops it.
    create_class(&demo, &admin, "3К").await;
    let blocker = create_class(&demo, &admin, "4К").await;
    patch_class(&demo, &admin, blocker.id, json!({ "archived": true })).await;
    let preview: YearEnd = server.get(&path, Some(&admin)).await.parse();
    let reply = server.post(&path, serde_json::to_value(&preview).unwrap(), Some(&admin)).await;
    reply.assert_error(StatusCode::CONFLICT, "conflict");
    assert!(reply.json()["message"].as_str().unwrap().contains("4К"), "{}", reply.text());
    assert_eq!(class_named(&demo, &admin, "6А").await.grade, Some(6), "nothing moved");
}

#[tokio::test]
async fn the_audit_log_pages_and_filters() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let admin_id = user_id(&demo, &admin).await;
    let letters = ["А", "Б", "В", "Г", "Д"];
    let reply = server
        .post(
            &demo.school_path("/classes/bulk"),
            json!({ "grades": (1..=11).collect::<Vec<u8>>(), "letters": letters }),
            Some(&admin),
        )
        .await;
    let made: BulkCreated = reply.parse();
    assert_eq!(made.created.len(), 52);
    patch_class(&demo, &admin, demo.class("9В"), json!({ "size": 20 })).await;

    let first = audit(&demo, &admin, "").await;
    assert_eq!(first.entries.len(), 50);
    assert_eq!(first.entries[0].action, AuditAction::ClassSizeSet);
    assert_eq!(
        first.entries[0].actor.as_ref().map(|a| (a.id, a.name.as_str())),
        Some((admin_id, "Ольга Миронова"))
    );
    assert!(first.entries.windows(2).all(|pair| pair[0].id > pair[1].id), "newest first");
    assert_eq!(first.next_before, Some(first.entries[49].id));
    let second = audit(&demo, &admin, &format!("?before={}", first.next_before.unwrap())).await;
    assert_eq!((second.entries.len(), second.next_before), (3, None));

    let created = audit(&demo, &admin, "?action=class_created").await;
    assert!(created.entries.iter().all(|e| e.action == AuditAction::ClassCreated));
    assert_eq!(audit(&demo, &admin, &format!("?actor_id={admin_id}")).await.entries.len(), 50);
    assert!(audit(&demo, &admin, "?actor_id=999999").await.entries.is_empty());
    for query in ["?action=bogus", "?action=unknown", "?before=soon", "?actor_id=x"] {
        let reply = server.get(&demo.school_path(&format!("/audit{query}")), Some(&admin)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "bad_request");
    }
}

#[tokio::test]
async fn invites_join_requests_and_verifications_are_audited() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let db = &server.state.db;
    let class_5a = json!({ "kind": "class", "class_id": demo.class("5А") });

    let mut body = invite_body(class_5a.clone(), "parent");
    body["label"] = json!("Собрание 5А");
    body["requires_approval"] = json!(true);
    let invite = demo.invite(&admin, body).await;
    assert_eq!(
        recent(&demo, &admin, 1).await,
        [(AuditAction::InviteCreated, s("5А"), None, s("Собрание 5А"))]
    );

    // Approved and rejected requests, with whom they were about; the membership remembers its invite.
    let parent = demo.newcomer("+79001110001", "Ирина", "Волкова").await;
    let parent_id = user_id(&demo, &parent).await;
    let other = demo.newcomer("+79001110002", "Олег", "Петров").await;
    let other_id = user_id(&demo, &other).await;
    for cookie in [&parent, &other] {
        let reply = demo.join(&invite.token, cookie, json!({ "child_name": "Маша Волкова" })).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }
    let requests: Vec<api::JoinRequest> =
        server.get(&demo.school_path("/join-requests"), Some(&admin)).await.parse();
    let approve = format!("/api/v1/join-requests/{}/approve", requests[0].id);
    assert_eq!(server.post(&approve, json!({}), Some(&admin)).await.status, StatusCode::OK);
    let reject = format!("/api/v1/join-requests/{}/reject", requests[1].id);
    assert_eq!(server.post(&reject, json!({}), Some(&admin)).await.status, StatusCode::OK);
    let page = audit(&demo, &admin, "").await;
    let decided: Vec<(AuditAction, Option<i64>, Option<&str>)> = page.entries[..2]
        .iter()
        .map(|e| (e.action, e.subject.as_ref().map(|s| s.id), e.class_name.as_deref()))
        .collect();
    assert_eq!(
        decided,
        [
            (AuditAction::RequestRejected, Some(other_id), Some("5А")),
            (AuditAction::RequestApproved, Some(parent_id), Some("5А"))
        ]
    );
    assert_eq!(page.entries[0].subject.as_ref().unwrap().name, "Олег Петров");
    let came_through: Option<i64> = sqlx::query_scalar("SELECT invite_id FROM memberships WHERE user_id = ?")
        .bind(parent_id)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(came_through, Some(invite.invite.id));

    // Joining at once through an invite remembers it too.
    let open = demo.invite(&admin, invite_body(class_5a.clone(), "student")).await;
    let student = demo.newcomer("+79001110003", "Дима", "Волков").await;
    assert_eq!(demo.join(&open.code, &student, json!({})).await.status, StatusCode::OK);
    let came_through: Option<i64> = sqlx::query_scalar("SELECT invite_id FROM memberships WHERE user_id = ?")
        .bind(user_id(&demo, &student).await)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(came_through, Some(open.invite.id));

    let revoke = format!("/api/v1/invites/{}/revoke", invite.invite.id);
    assert_eq!(server.post(&revoke, json!({}), Some(&admin)).await.status, StatusCode::OK);
    assert_eq!(server.post(&revoke, json!({}), Some(&admin)).await.status, StatusCode::OK);
    assert_eq!(
        recent(&demo, &admin, 2).await[0],
        (AuditAction::InviteRevoked, s("5А"), None, s("Собрание 5А"))
    );
    assert_eq!(
        recent(&demo, &admin, 2).await[1].0,
        AuditAction::InviteCreated,
        "revoking again records nothing"
    );
    demo.invite(&admin, invite_body(json!({ "kind": "school" }), "teacher")).await;
    demo.invite(&admin, invite_body(class_5a, "parent")).await;
    let reply = server.post(&demo.school_path("/invites/revoke-unused"), json!({}), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let revoked: api::Affected = reply.parse();
    assert!(revoked.count >= 2);
    let count = revoked.count.to_string();
    assert_eq!(recent(&demo, &admin, 1).await, [(AuditAction::InvitesRevokedUnused, None, None, s(&count))]);

    // A teacher's invite is audited too, with the teacher as its actor.
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    demo.invite(&teacher, invite_body(json!({ "kind": "class", "class_id": demo.class("5А") }), "student"))
        .await;
    let page = audit(&demo, &admin, "").await;
    assert_eq!(page.entries[0].actor.as_ref().unwrap().name, "Елена Кузнецова");

    // Teacher verification: Орлов waits; Соколов asks and is declined.
    let sokolov = server.sign_in(demo::SOKOLOV).await;
    let asked = server.post(&demo.school_path("/teacher-verification"), json!({}), Some(&sokolov)).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.text());
    let waiting: Vec<api::TeacherVerification> =
        server.get(&demo.school_path("/teacher-verifications"), Some(&admin)).await.parse();
    for (verification, verb) in waiting.iter().zip(["approve", "decline"]) {
        let path = format!("/api/v1/teacher-verifications/{}/{verb}", verification.id);
        assert_eq!(server.post(&path, json!({}), Some(&admin)).await.status, StatusCode::OK);
    }
    let page = audit(&demo, &admin, "").await;
    let decided: Vec<(AuditAction, i64)> =
        page.entries[..2].iter().map(|e| (e.action, e.subject.as_ref().unwrap().id)).collect();
    assert_eq!(
        decided,
        [
            (AuditAction::TeacherDeclined, waiting[1].teacher.id),
            (AuditAction::TeacherVerified, waiting[0].teacher.id)
        ]
    );
}

/// Who asks, in the role × operation matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Admin,
    OtherSchoolsAdmin,
    Teacher,
    ClassTeacher,
    Student,
    Parent,
    SignedOut,
}

#[tokio::test]
async fn only_the_schools_administrators_use_the_administrators_screens() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let now = server.state.clock.unix();
    schools::create(&server.state.db, "Гимназия № 1", None, "+79005550000", now).await.unwrap();
    let cookies = [
        (Who::Admin, server.sign_in(demo::ADMIN).await),
        (Who::OtherSchoolsAdmin, server.sign_up("+79005550000", "Ирина", "Белова").await),
        (Who::Teacher, server.sign_in(demo::SOKOLOV).await),
        (Who::ClassTeacher, server.sign_in(demo::KUZNETSOVA).await),
        (Who::Student, server.sign_in(demo::LEBEDEV).await),
        (Who::Parent, server.sign_in(demo::LEBEDEVA).await),
    ];
    let admin = &cookies[0].1;
    let sokolov = user_id(&demo, &cookies[2].1).await;
    // 5А is Кузнецова's class; an empty class, to delete, has no teacher by definition.
    let class_5a = demo.class("5А");
    let empty = create_class(&demo, admin, "7Я").await.id;
    let school = |rest: &str| demo.school_path(rest);
    let info = json!({ "name": parta_server::demo::SCHOOL_NAME });
    let year_end: YearEnd = server.get(&school("/year-end"), Some(admin)).await.parse();
    let picture = crate::files::upload(server, admin, "герб.png", &crate::files::png(32, 32), false).await;

    // What only members may do, and what only administrators may: (method, path, body, status for the
    // administrator, whether every member may).
    // The transfer first: the classes made below would make its preview out of date.
    let operations: Vec<(Method, String, Value, StatusCode, bool)> = vec![
        (Method::GET, school("/year-end"), Value::Null, StatusCode::OK, false),
        (Method::POST, school("/year-end"), serde_json::to_value(&year_end).unwrap(), StatusCode::OK, false),
        (Method::GET, school("/info"), Value::Null, StatusCode::OK, true),
        (Method::PUT, school("/info"), info, StatusCode::OK, false),
        (Method::PUT, school("/logo"), json!({ "file_id": picture.id }), StatusCode::OK, false),
        (Method::GET, school("/logo"), Value::Null, StatusCode::OK, true),
        (Method::DELETE, school("/logo"), Value::Null, StatusCode::NO_CONTENT, false),
        (Method::GET, school("/classes"), Value::Null, StatusCode::OK, false),
        (Method::POST, school("/classes"), json!({ "name": "8Ш" }), StatusCode::CREATED, false),
        (
            Method::POST,
            school("/classes/bulk"),
            json!({ "grades": [8], "letters": ["Щ"] }),
            StatusCode::CREATED,
            false,
        ),
        (Method::PATCH, class_path(class_5a, ""), json!({ "size": 30 }), StatusCode::OK, false),
        (
            Method::PUT,
            class_path(class_5a, &format!("/teachers/{sokolov}")),
            json!({}),
            StatusCode::OK,
            false,
        ),
        (
            Method::DELETE,
            class_path(class_5a, &format!("/teachers/{sokolov}")),
            Value::Null,
            StatusCode::OK,
            false,
        ),
        (Method::DELETE, class_path(empty, ""), Value::Null, StatusCode::NO_CONTENT, false),
        (Method::GET, school("/audit"), Value::Null, StatusCode::OK, false),
    ];
    let mut failures = Vec::new();
    for (method, path, body, allowed, for_members) in &operations {
        // The administrator last: everyone else must have changed nothing.
        for who in [
            Who::SignedOut,
            Who::OtherSchoolsAdmin,
            Who::Teacher,
            Who::ClassTeacher,
            Who::Student,
            Who::Parent,
            Who::Admin,
        ] {
            let cookie = cookies.iter().find(|(w, _)| *w == who).map(|(_, c)| c.as_str());
            let expected = match who {
                Who::Admin => *allowed,
                Who::SignedOut => StatusCode::UNAUTHORIZED,
                Who::OtherSchoolsAdmin => StatusCode::NOT_FOUND,
                _ if *for_members => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            let body = (!body.is_null()).then(|| body.clone());
            let reply: Reply = server.send(crate::support::request(method.clone(), path, cookie, body)).await;
            if reply.status != expected {
                failures.push(format!(
                    "{who:?} {method} {path}: {} instead of {expected}: {}",
                    reply.status,
                    reply.text()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn nothing_a_person_sends_breaks_the_server() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let admin = server.sign_in(demo::ADMIN).await;
    let class = demo.class("5А");
    let paths = [
        (Method::PUT, demo.school_path("/info")),
        (Method::PUT, demo.school_path("/logo")),
        (Method::POST, demo.school_path("/classes")),
        (Method::POST, demo.school_path("/classes/bulk")),
        (Method::PATCH, class_path(class, "")),
        (Method::PUT, class_path(class, "/teachers/999999999")),
        (Method::DELETE, class_path(class, "/teachers/-1")),
        (Method::POST, demo.school_path("/year-end")),
        (Method::PATCH, "/api/v1/classes/99999999999999999999".to_string()),
        (Method::DELETE, "/api/v1/classes/abc".to_string()),
        (Method::GET, "/api/v1/schools/abc/info".to_string()),
    ];
    let bodies = [
        json!("text"),
        json!([1, 2]),
        json!({ "name": null, "grades": "all", "letters": [1], "size": 1e10, "homeroom_id": "x", "classes": {} }),
        json!({ "name": "\u{0}", "grades": [5], "letters": ["\u{0}"], "archived": "yes" }),
        json!({ "name": "a".repeat(10_000), "classes": [{ "class_id": 1, "name": "x" }] }),
        json!({ "size": -5, "homeroom_id": -1, "website": "\u{202e}" }),
    ];
    for (method, path) in &paths {
        for body in &bodies {
            let reply = server
                .send(crate::support::request(method.clone(), path, Some(&admin), Some(body.clone())))
                .await;
            assert!(
                reply.status.is_client_error() || reply.status.is_success(),
                "{method} {path} {body}: {}",
                reply.status
            );
            assert_eq!(reply.header("content-type"), "application/json", "{method} {path}");
        }
    }
}

use std::io::Cursor;

use api::{FILE_MAX_BYTES, FileInfo, Message, MessagePage, MyFiles, ServerEvent};
use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode, header};
use parta_server::files::percent_encode;
use serde_json::{Value, json};

use crate::support::{Demo, Reply, TestServer, client_id, demo, field_problems};

const PARENTS: &str = "Родители 5А";

/// A 3 × 2 RGB picture.
const TINY_PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x03\x00\x00\x00\x02\x08\x02\x00\x00\x00\x12\x16\xf1\x4d\x00\x00\x00\x10\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\xc0\x00\xc1\x70\x16\x00\x3b\xd8\x05\xfb\xde\x10\x37\x65\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// An upload as the app sends it: the file as the body, its name percent-encoded.
fn upload_request(path: &str, cookie: Option<&str>, name: Option<&str>, body: Body) -> Request<Body> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "localhost:8080")
        .header(api::CSRF_HEADER, "1")
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    if let Some(name) = name {
        builder = builder.header("x-file-name", percent_encode(name));
    }
    builder.body(body).unwrap()
}

async fn try_upload(server: &TestServer, cookie: &str, name: &str, content: &[u8], keep: bool) -> Reply {
    let path = if keep { "/api/v1/files?keep=true" } else { "/api/v1/files" };
    server.send(upload_request(path, Some(cookie), Some(name), Body::from(content.to_vec()))).await
}

/// Uploads a file (asserting `201`).
pub(crate) async fn upload(
    server: &TestServer,
    cookie: &str,
    name: &str,
    content: &[u8],
    keep: bool,
) -> FileInfo {
    let reply = try_upload(server, cookie, name, content, keep).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.parse()
}

async fn send(demo: &Demo, cookie: &str, body: Value) -> Reply {
    demo.server.post(&demo.chat_path(PARENTS, "/messages"), body, Some(cookie)).await
}

/// Sends the files with no text to the parents' chat (asserting `201`).
async fn send_files(demo: &Demo, cookie: &str, files: &[&FileInfo]) -> Message {
    let ids: Vec<i64> = files.iter().map(|f| f.id).collect();
    let reply = send(demo, cookie, json!({ "client_id": client_id(), "text": "", "attachments": ids })).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.parse()
}

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    // Noisy enough that the PNG is large, as a photo would be.
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 251;
        image::Rgb([noise as u8, (x % 256) as u8, (y % 256) as u8])
    });
    let mut bytes = Vec::new();
    picture.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// The demo school and one of its parents, signed in: only members of a school upload.
async fn member() -> (Demo, String) {
    let demo = Demo::new().await;
    let cookie = demo.server.sign_in(demo::LEBEDEVA).await;
    (demo, cookie)
}

/// What is in the files directory: nothing is left behind by a refused upload.
fn stored_files(server: &TestServer) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(server.state.config.files_dir()) else {
        return Vec::new();
    };
    entries.map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect()
}

#[tokio::test]
async fn a_picture_is_uploaded_with_its_size_and_downloaded_by_its_owner() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    let file = upload(server, &cookie, "tiny.png", TINY_PNG, false).await;
    assert_eq!(
        (file.name.as_str(), file.size, file.content_type.as_str(), file.is_image, file.width, file.height),
        ("tiny.png", TINY_PNG.len() as u64, "image/png", true, Some(3), Some(2))
    );
    assert_eq!(file.url, format!("/api/v1/files/{}/tiny.png", file.id));
    assert_eq!(file.thumbnail_url, Some(format!("{}?size=thumb", file.url)));

    let download = server.get(&file.url, Some(&cookie)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_ref(), TINY_PNG);
    assert_eq!(download.header("content-type"), "image/png");
    assert_eq!(download.header("content-length"), TINY_PNG.len().to_string());
    assert_eq!(download.header("content-disposition"), "inline; filename*=UTF-8''tiny.png");
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert_eq!(download.header("content-security-policy"), "default-src 'none'; sandbox");
    assert_eq!(download.header("cache-control"), "private, max-age=31536000, immutable");

    let thumbnail = server.get(file.thumbnail_url.as_deref().unwrap(), Some(&cookie)).await;
    assert_eq!(thumbnail.status, StatusCode::OK);
    assert_eq!(thumbnail.header("content-type"), "image/jpeg");
    let small = image::load_from_memory(&thumbnail.body).unwrap();
    assert_eq!((small.width(), small.height()), (3, 2));

    // The name in the path is only for the browser.
    let renamed = server.get(&format!("/api/v1/files/{}/other.png", file.id), Some(&cookie)).await;
    assert_eq!(renamed.body.as_ref(), TINY_PNG);
}

#[tokio::test]
async fn a_large_picture_gets_a_small_copy() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    let content = png(1200, 900);
    let file = upload(server, &cookie, "Доска.PNG", &content, false).await;
    assert_eq!((file.width, file.height), (Some(1200), Some(900)));
    let thumbnail = server.get(file.thumbnail_url.as_deref().unwrap(), Some(&cookie)).await;
    assert_eq!(thumbnail.status, StatusCode::OK);
    assert_eq!(thumbnail.header("content-type"), "image/jpeg");
    let small = image::load_from_memory(&thumbnail.body).unwrap();
    assert_eq!((small.width(), small.height()), (480, 360));
    assert!(thumbnail.body.len() < content.len());

    // A thumbnail of a file that is not a picture is the file itself.
    let pdf = upload(server, &cookie, "Расписание.pdf", PDF, false).await;
    assert_eq!(pdf.thumbnail_url, None);
    let original = server.get(&format!("{}?size=thumb", pdf.url), Some(&cookie)).await;
    assert_eq!(original.body.as_ref(), PDF);
}

#[tokio::test]
async fn a_document_downloads_as_an_attachment_under_its_russian_name() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    let file = upload(server, &cookie, "C:\\Школа\\Расписание.pdf", PDF, false).await;
    assert_eq!(
        (file.name.as_str(), file.content_type.as_str(), file.is_image),
        ("Расписание.pdf", "application/pdf", false)
    );
    assert_eq!((file.width, file.height), (None, None));
    let encoded = "%D0%A0%D0%B0%D1%81%D0%BF%D0%B8%D1%81%D0%B0%D0%BD%D0%B8%D0%B5.pdf";
    assert_eq!(file.url, format!("/api/v1/files/{}/{encoded}", file.id));

    let download = server.get(&file.url, Some(&cookie)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_ref(), PDF);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(download.header("content-disposition"), format!("attachment; filename*=UTF-8''{encoded}"));
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert!(download.header("content-security-policy").contains("sandbox"));

    // The server, not the browser's Content-Type, decides what a file is.
    let text = upload(server, &cookie, "Список.csv", "Имя;Класс\nАня;5А\n".as_bytes(), false).await;
    assert_eq!(text.content_type, "text/csv; charset=utf-8");
}

#[tokio::test]
async fn kinds_parta_does_not_take_are_refused() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    for name in ["page.html", "logo.svg", "setup.exe", "script.js", "без расширения"] {
        try_upload(server, &cookie, name, b"<html><script>alert(1)</script></html>", false)
            .await
            .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type_not_allowed");
    }
    // The right extension is not enough: the content must be what it says.
    let mismatched: [(&str, &[u8]); 5] = [
        ("Расписание.pdf", TINY_PNG),
        ("photo.jpg", b"<html><body>hello</body></html>"),
        ("notes.txt", b"caf\xe9 au lait"),
        ("report.rtf", b"<script>alert(1)</script>"),
        // A PNG's signature on a broken picture.
        ("broken.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDRgarbage-garbage-garbage"),
    ];
    for (name, content) in mismatched {
        let reply = try_upload(server, &cookie, name, content, false).await;
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}: {}", reply.text());
        reply.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "file_type_not_allowed");
    }
    assert_eq!(stored_files(server), Vec::<String>::new());
}

#[tokio::test]
async fn files_over_the_limit_are_refused() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    // Announced too large: refused before reading.
    let mut request =
        upload_request("/api/v1/files", Some(&cookie), Some("big.pdf"), Body::from(PDF.to_vec()));
    request.headers_mut().insert(header::CONTENT_LENGTH, (FILE_MAX_BYTES + 1).into());
    server.send(request).await.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "file_too_large");

    // Not announced, and too large once read.
    let piece = Bytes::from(vec![b' '; 1024 * 1024]);
    let pieces = (FILE_MAX_BYTES / 1024 / 1024 + 1) as usize;
    let stream = futures_util::stream::iter((0..pieces).map(move |_| Ok::<_, std::io::Error>(piece.clone())));
    let request = upload_request("/api/v1/files", Some(&cookie), Some("big.txt"), Body::from_stream(stream));
    server.send(request).await.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "file_too_large");
    assert_eq!(stored_files(server), Vec::<String>::new());
}

#[tokio::test]
async fn uploads_need_a_name_a_session_and_the_csrf_header() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    let body = || Body::from(PDF.to_vec());
    for name in [None, Some(""), Some("  "), Some("folder/")] {
        let reply = server.send(upload_request("/api/v1/files", Some(&cookie), name, body())).await;
        assert_eq!(field_problems(&reply), [("name".into(), "required".into())], "{name:?}");
    }
    let mut undecodable = upload_request("/api/v1/files", Some(&cookie), None, body());
    undecodable.headers_mut().insert("x-file-name", "%FF%FE.pdf".parse().unwrap());
    let reply = server.send(undecodable).await;
    assert_eq!(field_problems(&reply), [("name".into(), "invalid_characters".into())]);

    server
        .send(upload_request("/api/v1/files", None, Some("a.pdf"), body()))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let mut no_csrf = upload_request("/api/v1/files", Some(&cookie), Some("a.pdf"), body());
    no_csrf.headers_mut().remove(api::CSRF_HEADER);
    server.send(no_csrf).await.assert_error(StatusCode::FORBIDDEN, "csrf_rejected");

    let incomplete = server.sign_in("+79167654321").await;
    try_upload(server, &incomplete, "a.pdf", PDF, false)
        .await
        .assert_error(StatusCode::FORBIDDEN, "profile_incomplete");
    assert_eq!(stored_files(server), Vec::<String>::new());
}

#[tokio::test]
async fn files_sent_to_a_chat_are_for_its_members_only() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let student_of_the_class = server.sign_in(demo::LEBEDEV).await;
    let other_class = server.sign_in(demo::MOROZOVA).await;
    let stranger = demo.newcomer("+79167654321", "Пётр", "Петров").await;

    let pdf = upload(server, &teacher, "Расписание.pdf", PDF, false).await;
    let photo = upload(server, &teacher, "Экскурсия.png", TINY_PNG, false).await;
    // Not yet sent: only its owner sees it.
    server.get(&pdf.url, Some(&parent)).await.assert_error(StatusCode::NOT_FOUND, "not_found");

    let message = send_files(&demo, &teacher, &[&pdf, &photo]).await;
    assert_eq!(message.text, "");
    assert_eq!(message.attachments, [pdf.clone(), photo.clone()]);

    let download = server.get(&pdf.url, Some(&parent)).await;
    assert_eq!((download.status, download.body.as_ref()), (StatusCode::OK, PDF));
    let thumbnail = server.get(photo.thumbnail_url.as_deref().unwrap(), Some(&parent)).await;
    assert_eq!(thumbnail.status, StatusCode::OK);
    for outsider in [&student_of_the_class, &other_class, &stranger] {
        server.get(&pdf.url, Some(outsider)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    server.get(&pdf.url, None).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    server
        .get("/api/v1/files/999999/nothing.pdf", Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The timeline, its events and the chat list all show the files.
    let page: MessagePage = demo.timeline(&parent, PARENTS).await;
    assert_eq!(page.messages.last().unwrap().attachments, [pdf.clone(), photo.clone()]);
    let payload: String =
        sqlx::query_scalar("SELECT payload FROM events WHERE chat_id = ? ORDER BY id DESC LIMIT 1")
            .bind(demo.chat(PARENTS))
            .fetch_one(&server.state.db)
            .await
            .unwrap();
    let ServerEvent::MessageCreated { message: event, .. } = serde_json::from_str(&payload).unwrap() else {
        panic!("not message_created: {payload}");
    };
    assert_eq!(event.attachments, [pdf.clone(), photo.clone()]);
    assert_eq!(last_preview(&demo, &parent).await, "📎 Расписание.pdf и ещё 1");

    // A reply quotes it by its files, too.
    let reply_body = json!({ "client_id": client_id(), "text": "Спасибо!", "reply_to": message.id });
    let reply: Message = send(&demo, &parent, reply_body).await.parse();
    assert_eq!(reply.reply_to.unwrap().text, "📎 Расписание.pdf и ещё 1");
    assert_eq!(reply.attachments, []);

    // Deleted: the files go with the message, for everyone but their owner.
    let deleted =
        server.delete(&demo.chat_path(PARENTS, &format!("/messages/{}", message.id)), Some(&teacher)).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text());
    assert_eq!(deleted.parse::<Message>().attachments, []);
    let page: MessagePage = demo.timeline(&parent, PARENTS).await;
    assert!(page.messages.iter().find(|m| m.id == message.id).unwrap().attachments.is_empty());
    server.get(&pdf.url, Some(&parent)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(server.get(&pdf.url, Some(&teacher)).await.status, StatusCode::OK);
}

/// The last message's preview in the person's row of the parents' chat.
async fn last_preview(demo: &Demo, cookie: &str) -> String {
    let list: Vec<api::ChatSummary> = demo.server.get("/api/v1/chats", Some(cookie)).await.parse();
    list.into_iter().find(|c| c.title == PARENTS).unwrap().last_message.unwrap().text
}

#[tokio::test]
async fn only_the_owners_files_may_be_attached() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let theirs = upload(server, &teacher, "Расписание.pdf", PDF, false).await;
    let mine = upload(server, &parent, "Справка.pdf", PDF, false).await;

    let problems = |reply: Reply| field_problems(&reply);
    let attach =
        |ids: Vec<i64>, text: &str| json!({ "client_id": client_id(), "text": text, "attachments": ids });
    assert_eq!(
        problems(send(&demo, &parent, attach(vec![mine.id, theirs.id], "")).await),
        [("attachments".into(), "not_allowed".into())]
    );
    assert_eq!(
        problems(send(&demo, &parent, attach(vec![999_999], "Вот")).await),
        [("attachments".into(), "not_allowed".into())]
    );
    assert_eq!(
        problems(send(&demo, &parent, attach(vec![mine.id, mine.id], "Вот")).await),
        [("attachments".into(), "not_allowed".into())]
    );
    let mut eleven = Vec::new();
    for n in 0..11 {
        eleven.push(upload(server, &parent, &format!("{n}.pdf"), PDF, false).await.id);
    }
    assert_eq!(
        problems(send(&demo, &parent, attach(eleven.clone(), "Вот")).await),
        [("attachments".into(), "out_of_range".into())]
    );
    assert_eq!(
        problems(send(&demo, &parent, attach(vec![], " ")).await),
        [("text".into(), "required".into())]
    );

    // Ten is fine, and sending again with the same client id gives the same message.
    let body = json!({ "client_id": "with-files-1", "text": "Все справки", "attachments": eleven[..10] });
    let first = send(&demo, &parent, body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first: Message = first.parse();
    assert_eq!(first.attachments.iter().map(|f| f.id).collect::<Vec<_>>(), eleven[..10]);
    let again = send(&demo, &parent, body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.parse::<Message>(), first);
    assert_eq!(last_preview(&demo, &teacher).await, "Все справки");

    let photo = upload(server, &parent, "IMG_0001.png", TINY_PNG, false).await;
    send_files(&demo, &parent, &[&photo]).await;
    assert_eq!(last_preview(&demo, &teacher).await, "🖼 Фото");
}

#[tokio::test]
async fn my_files_are_listed_counted_and_deleted() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let empty: MyFiles = server.get("/api/v1/me/files", Some(&teacher)).await.parse();
    assert_eq!(empty, MyFiles { files: vec![], used_bytes: 0 });

    let plan = upload(server, &teacher, "План.pdf", PDF, true).await;
    server.state.clock.advance(60);
    let photo = upload(server, &teacher, "Класс.png", TINY_PNG, true).await;
    upload(server, &teacher, "Черновик.pdf", PDF, false).await;
    let mine: MyFiles = server.get("/api/v1/me/files", Some(&teacher)).await.parse();
    assert_eq!(mine.files, [photo.clone(), plan.clone()]);
    assert_eq!(mine.used_bytes, (PDF.len() + TINY_PNG.len()) as u64);

    // Sent from «Мои файлы», it stays there; taken out, it stays in the chat.
    send_files(&demo, &teacher, &[&plan]).await;
    let mine: MyFiles = server.get("/api/v1/me/files", Some(&teacher)).await.parse();
    assert_eq!(mine.files.len(), 2);
    server
        .delete(&format!("/api/v1/me/files/{}", plan.id), Some(&parent))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let forgotten = server.delete(&format!("/api/v1/me/files/{}", plan.id), Some(&teacher)).await;
    assert_eq!(forgotten.status, StatusCode::NO_CONTENT, "{}", forgotten.text());
    let download = server.get(&plan.url, Some(&parent)).await;
    assert_eq!((download.status, download.body.as_ref()), (StatusCode::OK, PDF));

    // Never sent: gone for good.
    let forgotten = server.delete(&format!("/api/v1/me/files/{}", photo.id), Some(&teacher)).await;
    assert_eq!(forgotten.status, StatusCode::NO_CONTENT);
    server.get(&photo.url, Some(&teacher)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    server
        .delete(&format!("/api/v1/me/files/{}", photo.id), Some(&teacher))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let mine: MyFiles = server.get("/api/v1/me/files", Some(&teacher)).await.parse();
    assert_eq!(mine, MyFiles { files: vec![], used_bytes: 0 });
}

#[tokio::test]
async fn my_files_hold_no_more_than_the_quota() {
    let demo = Demo::with(|config| config.storage_max_bytes = 100).await;
    let server = &demo.server;
    let cookie = server.sign_in(demo::LEBEDEVA).await;
    upload(server, &cookie, "first.pdf", PDF, true).await;
    try_upload(server, &cookie, "second.pdf", PDF, true)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "storage_full");
    // An attachment waiting to be sent takes no room in «Мои файлы».
    upload(server, &cookie, "second.pdf", PDF, false).await;
    let mine: MyFiles = server.get("/api/v1/me/files", Some(&cookie)).await.parse();
    assert_eq!((mine.files.len(), mine.used_bytes), (1, PDF.len() as u64));
}

#[tokio::test]
async fn uploads_waiting_to_be_sent_have_their_own_quota() {
    let demo = Demo::with(|config| config.unsent_max_bytes = 2 * PDF.len() as u64).await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let first = upload(server, &teacher, "first.pdf", PDF, false).await;
    upload(server, &teacher, "second.pdf", PDF, false).await;
    try_upload(server, &teacher, "third.pdf", PDF, false)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "unsent_files_full");
    // «Мои файлы» has its own room, and another person their own quota.
    upload(server, &teacher, "kept.pdf", PDF, true).await;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    upload(server, &parent, "theirs.pdf", PDF, false).await;
    // Sent, a file no longer waits: room for another.
    send_files(&demo, &teacher, &[&first]).await;
    upload(server, &teacher, "third.pdf", PDF, false).await;
}

#[tokio::test]
async fn unsent_uploads_are_removed_after_a_day() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    let unsent = upload(server, &teacher, "Черновик.png", TINY_PNG, false).await;
    let kept = upload(server, &teacher, "План.pdf", PDF, true).await;
    let sent = upload(server, &teacher, "Расписание.pdf", PDF, false).await;
    send_files(&demo, &teacher, &[&sent]).await;
    let files_dir = server.state.config.files_dir();
    assert_eq!(stored_files(server).len(), 4, "three files and a thumbnail");

    let now = server.state.clock.unix();
    assert_eq!(parta_server::files::prune(&server.state.db, &files_dir, now).await.unwrap(), 0);
    server.state.clock.advance(24 * 3600 + 1);
    let later = server.state.clock.unix();
    assert_eq!(parta_server::files::prune(&server.state.db, &files_dir, later).await.unwrap(), 1);
    assert_eq!(stored_files(server).len(), 2);
    server.get(&unsent.url, Some(&teacher)).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    for file in [&kept, &sent] {
        assert_eq!(server.get(&file.url, Some(&teacher)).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_picture_of_too_many_pixels_is_refused_from_its_header() {
    let (demo, cookie) = member().await;
    let server = &demo.server;
    // What outside testing sent: 249 KB that decode to 245 MB.
    let bomb = crate::bomb::png(16_000, 16_000);
    assert!(bomb.len() < 300 * 1024, "{} bytes", bomb.len());
    try_upload(server, &cookie, "bomb.png", &bomb, false)
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_too_large");
    // One pixel row more than the limit allows is enough.
    let width = 8_000;
    let just_over = crate::bomb::png(width, (api::IMAGE_MAX_PIXELS / u64::from(width)) as u32 + 1);
    try_upload(server, &cookie, "just-over.png", &just_over, true)
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_too_large");
    assert_eq!(stored_files(server), Vec::<String>::new());
}

#[tokio::test]
async fn only_members_of_a_school_upload() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let nobody = server.sign_up("+79161234567", "Мария", "Иванова").await;
    try_upload(server, &nobody, "Расписание.pdf", PDF, true)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    try_upload(server, &nobody, "photo.png", TINY_PNG, false)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(stored_files(server), Vec::<String>::new());
}

#[tokio::test]
async fn a_person_uploads_at_most_a_hundred_files_in_ten_minutes() {
    let demo = Demo::new().await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    for number in 0..100 {
        upload(server, &parent, &format!("справка-{number}.pdf"), PDF, false).await;
    }
    let refused = try_upload(server, &parent, "ещё.pdf", PDF, false).await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry_after: u32 = refused.header("retry-after").parse().unwrap();
    assert!((590..=600).contains(&retry_after), "until the first of them is 10 minutes old: {retry_after}");
    // Another person, from the same address, is counted apart.
    let teacher = server.sign_in(demo::KUZNETSOVA).await;
    upload(server, &teacher, "план.pdf", PDF, false).await;
    server.state.clock.advance(600);
    upload(server, &parent, "ещё.pdf", PDF, false).await;
}

#[tokio::test]
async fn pictures_wait_for_a_decoder_and_are_told_to_come_back() {
    let demo = Demo::with(|config| {
        config.picture_decodes = 1;
        config.picture_wait = std::time::Duration::from_millis(50);
    })
    .await;
    let server = &demo.server;
    let parent = server.sign_in(demo::LEBEDEVA).await;
    let busy = server.state.decodes.clone().acquire_owned().await.unwrap();
    let refused = try_upload(server, &parent, "photo.png", TINY_PNG, false).await;
    refused.assert_error(StatusCode::SERVICE_UNAVAILABLE, "server_busy");
    assert_eq!(refused.header("retry-after"), "5");
    assert_eq!(refused.json()["retry_after_seconds"], 5);
    // A picture too large needs no decoder to be refused.
    try_upload(server, &parent, "bomb.png", &crate::bomb::png(16_000, 16_000), false)
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "image_too_large");
    // Nor does anything that is not a picture.
    upload(server, &parent, "Расписание.pdf", PDF, false).await;
    assert_eq!(stored_files(server).len(), 1);
    drop(busy);
    upload(server, &parent, "photo.png", TINY_PNG, false).await;
}

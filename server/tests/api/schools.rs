use axum::http::StatusCode;
use parta_server::schools::{self, CreateSchoolError};

use crate::support::TestServer;

#[tokio::test]
async fn a_new_school_has_its_staff_room_and_its_chat_channels_and_admin() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    let created =
        schools::create(db, " Гимназия № 1 ", Some("Гимназия"), "8 (900) 555-12-34", now).await.unwrap();
    assert_eq!(created.admin_phone, "+79005551234");

    let classes: Vec<(String, String)> = sqlx::query_as("SELECT name, kind FROM classes WHERE school_id = ?")
        .bind(created.school_id)
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(classes, [("Учительская".to_string(), "staff_room".to_string())]);

    let chats: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT c.title, c.kind, cm.can_post FROM chats c JOIN chat_members cm ON cm.chat_id = c.id
         WHERE c.school_id = ? AND cm.user_id = ? ORDER BY c.id",
    )
    .bind(created.school_id)
    .bind(created.admin_id)
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(
        chats,
        [
            ("Общий канал".into(), "channel".into(), true),
            ("Сотрудники".into(), "channel".into(), true),
            ("Учительская".into(), "staff".into(), true),
        ]
    );
    let chat_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chats").fetch_one(db).await.unwrap();
    assert_eq!(chat_count, 3);
    let staff_chat: (i64, i64) =
        sqlx::query_as("SELECT id, class_id FROM chats WHERE kind = 'staff'").fetch_one(db).await.unwrap();
    assert_eq!(staff_chat, (created.staff_chat_id, created.staff_room_id));
    let channels: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, channel FROM chats WHERE channel IS NOT NULL ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    assert_eq!(
        channels,
        [(created.general_channel_id, "general".into()), (created.staff_channel_id, "staff".into())]
    );

    let cookie = server.sign_in("+79005551234").await;
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert_eq!(me.user.id, created.admin_id);
    assert!(!me.user.profile_complete);
    assert_eq!(me.schools.len(), 1);
    assert_eq!(me.schools[0].school.name, "Гимназия № 1");
    assert_eq!(me.schools[0].roles, [api::Role::Admin]);
}

#[tokio::test]
async fn an_existing_person_becomes_the_admin() {
    let server = TestServer::new().await;
    let cookie = server.sign_up("+79005551234", "Ирина", "Белова").await;
    let now = server.state.clock.unix();
    schools::create(&server.state.db, "Гимназия № 1", None, "+7 900 555-12-34", now).await.unwrap();
    let me: api::Me = server.get("/api/v1/me", Some(&cookie)).await.parse();
    assert!(me.user.profile_complete);
    assert_eq!(me.schools[0].roles, [api::Role::Admin]);
    let chats: Vec<api::ChatSummary> = server.get("/api/v1/chats", Some(&cookie)).await.parse();
    assert_eq!(chats.len(), 3);
}

#[tokio::test]
async fn a_school_needs_a_name_and_a_valid_phone() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let refused = schools::create(db, "Гимназия", None, "12345", 0).await.unwrap_err();
    assert!(matches!(refused, CreateSchoolError::InvalidPhone(ref p) if p == "12345"), "{refused}");
    assert!(refused.to_string().contains("12345"));
    let refused = schools::create(db, "  ", None, "+79005551234", 0).await.unwrap_err();
    assert!(matches!(refused, CreateSchoolError::NoName));
    let schools: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools").fetch_one(db).await.unwrap();
    assert_eq!(schools, 0);
}

#[tokio::test]
async fn the_demo_seed_is_idempotent() {
    let server = TestServer::new().await;
    let db = &server.state.db;
    let now = server.state.clock.unix();
    assert!(parta_server::demo::seed(db, now).await.unwrap());
    let count = async |table: &str| -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db).await.unwrap()
    };
    let before =
        (count("schools").await, count("users").await, count("chats").await, count("messages").await);
    assert!(!parta_server::demo::seed(db, now).await.unwrap());
    let after = (count("schools").await, count("users").await, count("chats").await, count("messages").await);
    assert_eq!(before, after);
    assert_eq!(before.0, 1);
    assert_eq!(before.2, 6);
    assert!((5..=15).contains(&before.3));

    let admin = server.sign_in(parta_server::demo::ADMIN_PHONE).await;
    let me: api::Me = server.get("/api/v1/me", Some(&admin)).await.parse();
    assert!(me.user.profile_complete);
    assert_eq!(me.schools[0].school.short_name.as_deref(), Some("Школа № 7"));
    assert_eq!(server.get("/api/v1/chats", Some(&admin)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn schools_made_before_invites_get_their_staff_chat_and_channel_names() {
    let dir = tempfile::tempdir().unwrap();
    let first_only = dir.path().join("migrations");
    std::fs::create_dir(&first_only).unwrap();
    let initial = "20261122000000_initial.sql";
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(manifest.join("migrations").join(initial), first_only.join(initial)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let url = format!("sqlite://{}?mode=rwc", data.join(parta_server::db::FILE_NAME).display());
    let old = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(first_only.as_path()).await.unwrap().run(&old).await.unwrap();
    sqlx::raw_sql(
        "INSERT INTO schools (id, name, created_at) VALUES (1, 'Гимназия № 1', 0);
         INSERT INTO users (id, phone, created_at) VALUES (1, '+79005550000', 0), (2, '+79005550001', 0);
         INSERT INTO classes (id, school_id, name, kind, created_at) VALUES (1, 1, 'Учительская', 'staff_room', 0);
         INSERT INTO memberships (school_id, user_id, class_id, role, created_at)
             VALUES (1, 1, NULL, 'admin', 0), (1, 2, 1, 'teacher', 0);
         INSERT INTO chats (id, school_id, kind, title, created_at)
             VALUES (1, 1, 'channel', 'Общий канал', 0), (2, 1, 'channel', 'Сотрудники', 0);",
    )
    .execute(&old)
    .await
    .unwrap();
    old.close().await;

    let db = parta_server::db::open(&data).await.unwrap();
    let channels: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, channel FROM chats WHERE channel IS NOT NULL ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(channels, [(1, "general".into()), (2, "staff".into())]);
    let staff_chat: (i64, String, Option<i64>) =
        sqlx::query_as("SELECT id, title, class_id FROM chats WHERE kind = 'staff'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((staff_chat.1.as_str(), staff_chat.2), ("Учительская", Some(1)));
    let members: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY user_id")
            .bind(staff_chat.0)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(members, [1, 2], "its administrator and its staff-room teacher");
}

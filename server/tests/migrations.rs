//! Migrations that rebuild a table keep what was in it.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// The migration that remade `messages` to allow polls.
const POLLS: i64 = 20261127000000;

/// `(id, kind, reply_to_id, client_id, deleted_at)` of a message.
type MessageRow = (i64, String, Option<i64>, Option<String>, Option<i64>);

#[tokio::test]
async fn remaking_messages_for_polls_keeps_replies_and_reactions() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("t.db"))
        .create_if_missing(true)
        .foreign_keys(true);
    let db = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let all = sqlx::migrate!();
    let mut before = sqlx::migrate!();
    before.migrations =
        all.migrations.iter().filter(|m| m.version < POLLS).cloned().collect::<Vec<_>>().into();
    before.run(&db).await.unwrap();

    for sql in [
        "INSERT INTO schools (id, name, created_at) VALUES (1, 'Школа', 0)",
        "INSERT INTO users (id, phone, created_at) VALUES (1, '+79000000001', 0), (2, '+79000000002', 0)",
        "INSERT INTO chats (id, school_id, kind, title, created_at) VALUES (1, 1, 'group', 'Чат', 0)",
        "INSERT INTO messages (id, chat_id, author_id, kind, body, created_at, client_id)
         VALUES (1, 1, 1, 'text', 'Вопрос', 0, 'client-01'), (2, 1, NULL, 'system', 'Чат создан', 0, NULL)",
        "INSERT INTO messages (id, chat_id, author_id, kind, body, created_at, reply_to_id, deleted_at)
         VALUES (3, 1, 2, 'text', 'Ответ', 1, 1, 5)",
        "INSERT INTO reactions (message_id, user_id, emoji, created_at) VALUES (3, 2, '👍', 0), (1, 2, '✅', 0), (1, 1, '👍', 0)",
    ] {
        sqlx::query(sql).execute(&db).await.unwrap();
    }
    all.run(&db).await.unwrap();

    let messages: Vec<MessageRow> =
        sqlx::query_as("SELECT id, kind, reply_to_id, client_id, deleted_at FROM messages ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        messages,
        [
            (1, "text".into(), None, Some("client-01".into()), None),
            (2, "system".into(), None, None, None),
            (3, "text".into(), Some(1), None, Some(5)),
        ]
    );
    let reactions: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT message_id, user_id, emoji FROM reactions ORDER BY rowid")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(reactions, [(3, 2, "👍".into()), (1, 2, "✅".into()), (1, 1, "👍".into())]);

    // The keys still act: a poll may be stored, and deleting a message lets go of its replies and reactions.
    sqlx::query("INSERT INTO messages (chat_id, author_id, kind, body, created_at) VALUES (1, 1, 'poll', 'Когда?', 2)")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM messages WHERE id = 1").execute(&db).await.unwrap();
    let reply_to: Option<i64> =
        sqlx::query_scalar("SELECT reply_to_id FROM messages WHERE id = 3").fetch_one(&db).await.unwrap();
    assert_eq!(reply_to, None);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reactions").fetch_one(&db).await.unwrap();
    assert_eq!(left, 1);
    let problems: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check").fetch_all(&db).await.unwrap();
    assert!(problems.is_empty());
}

/// The migration that made system lines data.
const SYSTEM_EVENTS: i64 = 20261222120000;

#[tokio::test]
async fn system_lines_written_as_russian_sentences_become_data() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new().filename(dir.path().join("t.db")).create_if_missing(true);
    let db = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let all = sqlx::migrate!();
    let mut before = sqlx::migrate!();
    before.migrations =
        all.migrations.iter().filter(|m| m.version < SYSTEM_EVENTS).cloned().collect::<Vec<_>>().into();
    before.run(&db).await.unwrap();

    // Every sentence the server and the demo school wrote, a line that matches none, and a person's
    // message that happens to read like one.
    let old = [
        ("system", "Чат создан"),
        ("system", "Анна Новикова — новый участник чата"),
        ("system", "Наталья Волкова присоединилась к чату"),
        ("system", "Дмитрий Волков — больше не участник чата"),
        ("system", "Анна Смирнова покидает чат"),
        ("system", "Название чата изменено: «Родители «нашего» класса»"),
        ("system", "Описание чата изменено"),
        ("system", "Описание чата удалено"),
        ("system", "Вчера был субботник"),
        ("system", " — новый участник чата"),
        ("text", "Чат создан"),
    ];
    for sql in [
        "INSERT INTO schools (id, name, created_at) VALUES (1, 'Школа', 0)",
        "INSERT INTO users (id, phone, created_at) VALUES (1, '+79000000001', 0)",
        "INSERT INTO chats (id, school_id, kind, title, created_at) VALUES (1, 1, 'group', 'Чат', 0)",
    ] {
        sqlx::query(sql).execute(&db).await.unwrap();
    }
    for (kind, body) in old {
        sqlx::query(
            "INSERT INTO messages (chat_id, author_id, kind, body, created_at) VALUES (1, ?, ?, ?, 0)",
        )
        .bind((kind == "text").then_some(1))
        .bind(kind)
        .bind(body)
        .execute(&db)
        .await
        .unwrap();
    }
    all.run(&db).await.unwrap();

    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT body, system_event FROM messages ORDER BY id").fetch_all(&db).await.unwrap();
    let events: Vec<Option<api::SystemEvent>> = rows
        .iter()
        .map(|(_, data)| data.as_deref().map(|json| serde_json::from_str(json).unwrap()))
        .collect();
    use api::SystemEvent::*;
    assert_eq!(
        events,
        [
            Some(ChatCreated),
            Some(MemberJoined { user_id: None, name: "Анна Новикова".into() }),
            Some(MemberJoined { user_id: None, name: "Наталья Волкова".into() }),
            Some(MemberRemoved { user_id: None, name: "Дмитрий Волков".into() }),
            Some(MemberLeft { user_id: None, name: "Анна Смирнова".into() }),
            Some(ChatRenamed { title: "Родители «нашего» класса".into() }),
            Some(DescriptionChanged),
            Some(DescriptionRemoved),
            None,
            None,
            None,
        ]
    );
    // The text stays as it was: what clients that do not know the field go on showing.
    let bodies: Vec<&str> = rows.iter().map(|(body, _)| body.as_str()).collect();
    assert_eq!(bodies, old.map(|(_, body)| body));
}

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

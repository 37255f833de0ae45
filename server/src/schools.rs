//! Registering a school: what the platform operator does before its administrator can sign in.

use sqlx::{SqliteConnection, SqlitePool};

use crate::db;

pub const STAFF_ROOM: &str = "Учительская";
pub const GENERAL_CHANNEL: &str = "Общий канал";
pub const STAFF_CHANNEL: &str = "Сотрудники";

#[derive(Debug, thiserror::Error)]
pub enum CreateSchoolError {
    #[error("the school needs a name")]
    NoName,
    #[error("«{0}» is not a Russian phone number (expected something like +7 900 123-45-67)")]
    InvalidPhone(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// What [`create`] made, for callers that build on it.
#[derive(Clone, Debug)]
pub struct CreatedSchool {
    pub school_id: i64,
    pub admin_id: i64,
    /// Normalised.
    pub admin_phone: String,
    pub staff_room_id: i64,
    pub general_channel_id: i64,
    pub staff_channel_id: i64,
    /// The «Учительская» chat, where teachers invited to the school land.
    pub staff_chat_id: i64,
}

/// Creates a school with its «Учительская» class and chat and its two system channels, «Общий канал»
/// and «Сотрудники», and makes the person with `admin_phone` its administrator (creating their account,
/// profile still empty, if the number has none yet).
pub async fn create(
    db: &SqlitePool,
    name: &str,
    short_name: Option<&str>,
    admin_phone: &str,
    now: i64,
) -> Result<CreatedSchool, CreateSchoolError> {
    let mut tx = crate::db::begin_write(db).await?;
    let created = insert(&mut tx, name, short_name, admin_phone, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// [`create`] inside the caller's transaction.
pub async fn insert(
    tx: &mut SqliteConnection,
    name: &str,
    short_name: Option<&str>,
    admin_phone: &str,
    now: i64,
) -> Result<CreatedSchool, CreateSchoolError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CreateSchoolError::NoName);
    }
    let short_name = short_name.map(str::trim).filter(|s| !s.is_empty());
    let phone = api::phone::normalize(admin_phone)
        .ok_or_else(|| CreateSchoolError::InvalidPhone(admin_phone.to_string()))?;

    let school_id: i64 = sqlx::query_scalar(
        "INSERT INTO schools (name, short_name, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(short_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let staff_room_id: i64 = sqlx::query_scalar(
        "INSERT INTO classes (school_id, name, kind, created_at) VALUES (?, ?, 'staff_room', ?) RETURNING id",
    )
    .bind(school_id)
    .bind(STAFF_ROOM)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;

    let admin_id = db::user_for_phone(&mut *tx, &phone, now).await?;
    sqlx::query("INSERT INTO memberships (school_id, user_id, role, created_at) VALUES (?, ?, 'admin', ?)")
        .bind(school_id)
        .bind(admin_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;

    // The channels are told apart by `channel`, not by their titles, which a school may rename.
    let mut chat = async |kind: api::ChatKind,
                          channel: Option<&str>,
                          class_id: Option<i64>,
                          title: &str,
                          description: &str|
           -> Result<i64, sqlx::Error> {
        let chat_id: i64 = sqlx::query_scalar(
            "INSERT INTO chats (school_id, class_id, kind, channel, title, description, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(school_id)
        .bind(class_id)
        .bind(kind.as_str())
        .bind(channel)
        .bind(title)
        .bind(description)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        db::join_chat(&mut *tx, chat_id, admin_id, true, now).await?;
        Ok(chat_id)
    };
    let channel = api::ChatKind::Channel;
    let general_channel_id =
        chat(channel, Some("general"), None, GENERAL_CHANNEL, "Объявления для всей школы").await?;
    let staff_channel_id =
        chat(channel, Some("staff"), None, STAFF_CHANNEL, "Объявления для сотрудников школы").await?;
    let staff_chat_id =
        chat(api::ChatKind::Staff, None, Some(staff_room_id), STAFF_ROOM, "Чат педагогов школы").await?;

    Ok(CreatedSchool {
        school_id,
        admin_id,
        admin_phone: phone,
        staff_room_id,
        general_channel_id,
        staff_channel_id,
        staff_chat_id,
    })
}

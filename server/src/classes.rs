//! A school's classes («5А», «9В»): each comes with its class chat and its parents' chat, which the
//! class's invite links lead into. Used by `parta-server add-class` (tests, demos) and meant for the
//! administrator's «Классы» screen.

use api::ChatKind;
use sqlx::{SqliteConnection, SqlitePool};

/// The longest class name («10 физико-математический» fits).
pub const CLASS_NAME_MAX_CHARS: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum CreateClassError {
    #[error("the class needs a name")]
    NoName,
    #[error("a class name has at most {CLASS_NAME_MAX_CHARS} characters")]
    NameTooLong,
    #[error("grade {0} is not a school grade (1 to 11)")]
    InvalidGrade(i64),
    #[error("there is no school with id {0}")]
    NoSuchSchool(i64),
    #[error("the school already has a class «{0}»")]
    Taken(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// What [`create_class`] made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedClass {
    pub class_id: i64,
    /// Trimmed.
    pub name: String,
    pub grade: Option<i64>,
    /// «5А»: teachers and students of the class.
    pub class_chat_id: i64,
    /// «Родители 5А»: teachers and parents of the class.
    pub parents_chat_id: i64,
}

/// The title of a class's parents' chat.
pub fn parents_chat_title(class_name: &str) -> String {
    format!("Родители {class_name}")
}

/// The grade a class name starts with: «5А» → 5, «10 Б» → 10; `None` when it starts with no grade.
pub fn grade_of_name(name: &str) -> Option<i64> {
    let digits: String = name.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|grade| (1..=11).contains(grade))
}

/// Creates a class of a school with its class chat and its parents' chat. Nobody is in the chats yet:
/// the class's teachers, students and parents join them through invites.
pub async fn create_class(
    db: &SqlitePool,
    school_id: i64,
    name: &str,
    grade: Option<i64>,
    now: i64,
) -> Result<CreatedClass, CreateClassError> {
    let mut tx = crate::db::begin_write(db).await?;
    let created = insert_class(&mut tx, school_id, name, grade, now).await?;
    tx.commit().await?;
    Ok(created)
}

/// [`create_class`] inside the caller's transaction.
pub async fn insert_class(
    tx: &mut SqliteConnection,
    school_id: i64,
    name: &str,
    grade: Option<i64>,
    now: i64,
) -> Result<CreatedClass, CreateClassError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CreateClassError::NoName);
    }
    if name.chars().count() > CLASS_NAME_MAX_CHARS {
        return Err(CreateClassError::NameTooLong);
    }
    if let Some(grade) = grade.filter(|g| !(1..=11).contains(g)) {
        return Err(CreateClassError::InvalidGrade(grade));
    }
    let school: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM schools WHERE id = ?)")
        .bind(school_id)
        .fetch_one(&mut *tx)
        .await?;
    if !school {
        return Err(CreateClassError::NoSuchSchool(school_id));
    }
    // Names are unique in a school (also against «Учительская»), whatever their case: compared here,
    // as SQLite's lower() knows only ASCII letters and class names are Cyrillic.
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM classes WHERE school_id = ?")
        .bind(school_id)
        .fetch_all(&mut *tx)
        .await?;
    let lowered = name.to_lowercase();
    if names.iter().any(|existing| existing.to_lowercase() == lowered) {
        return Err(CreateClassError::Taken(name.to_string()));
    }

    let class_id: i64 = sqlx::query_scalar(
        "INSERT INTO classes (school_id, name, grade, kind, created_at) VALUES (?, ?, ?, 'class', ?) RETURNING id",
    )
    .bind(school_id)
    .bind(name)
    .bind(grade)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;

    let mut chat = async |kind: ChatKind, title: &str, description: &str| -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO chats (school_id, class_id, kind, title, description, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(school_id)
        .bind(class_id)
        .bind(kind.as_str())
        .bind(title)
        .bind(description)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
    };
    let class_chat_id = chat(ChatKind::Class, name, &format!("Чат {name} класса")).await?;
    let parents_chat_id =
        chat(ChatKind::Parents, &parents_chat_title(name), &format!("Чат родителей {name} класса")).await?;

    Ok(CreatedClass { class_id, name: name.to_string(), grade, class_chat_id, parents_chat_id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_come_from_the_name() {
        assert_eq!(grade_of_name("5А"), Some(5));
        assert_eq!(grade_of_name(" 10 Б"), Some(10));
        assert_eq!(grade_of_name("Учительская"), None);
        assert_eq!(grade_of_name("12А"), None);
        assert_eq!(parents_chat_title("5А"), "Родители 5А");
    }
}

//! A school's classes («5А», «9В»): each comes with its class chat and its parents' chat, which the
//! class's invite links lead into. Used by `parta-server add-class` (tests, demos) and the
//! administrator's «Классы» screen (`routes::classes`).

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
    let name = check_name(name)?;
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
    if taken(tx, school_id, name, None).await? {
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

/// The name trimmed, if a class may have it at all (see [`taken`] for whether it is free).
pub fn check_name(name: &str) -> Result<&str, CreateClassError> {
    let name = name.trim();
    if name.is_empty() {
        Err(CreateClassError::NoName)
    } else if name.chars().count() > CLASS_NAME_MAX_CHARS {
        Err(CreateClassError::NameTooLong)
    } else {
        Ok(name)
    }
}

/// Whether another class of the school than `except` has the name, whatever its case (also
/// «Учительская»). Compared here, as SQLite's lower() knows only ASCII letters and class names are
/// Cyrillic.
pub async fn taken(
    conn: &mut SqliteConnection,
    school_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM classes WHERE school_id = ? AND id IS NOT ?")
            .bind(school_id)
            .bind(except)
            .fetch_all(conn)
            .await?;
    let lowered = name.to_lowercase();
    Ok(names.iter().any(|existing| existing.to_lowercase() == lowered))
}

/// Renames a class, gives it `grade`, and renames those of its chats that still carry their default
/// titles («5А», «Родители 5А»: a title a teacher chose stays). Returns the chats renamed, with their
/// new titles.
pub async fn rename(
    conn: &mut SqliteConnection,
    class_id: i64,
    old: &str,
    new: &str,
    grade: Option<i64>,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query("UPDATE classes SET name = ?, grade = ? WHERE id = ?")
        .bind(new)
        .bind(grade)
        .bind(class_id)
        .execute(&mut *conn)
        .await?;
    let mut renamed = Vec::new();
    for (kind, old_title, new_title) in [
        (ChatKind::Class, old.to_string(), new.to_string()),
        (ChatKind::Parents, parents_chat_title(old), parents_chat_title(new)),
    ] {
        let chats: Vec<i64> = sqlx::query_scalar(
            "UPDATE chats SET title = ? WHERE class_id = ? AND kind = ? AND title = ? RETURNING id",
        )
        .bind(&new_title)
        .bind(class_id)
        .bind(kind.as_str())
        .bind(&old_title)
        .fetch_all(&mut *conn)
        .await?;
        renamed.extend(chats.into_iter().map(|chat_id| (chat_id, new_title.clone())));
    }
    Ok(renamed)
}

/// The name a class gets a grade up: its leading grade replaced («5А» → «6А», «10 Б» → «11 Б»); a
/// name that starts with no number stays.
pub fn promoted_name(name: &str, grade: i64) -> String {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == name.len() { name.to_string() } else { format!("{grade}{rest}") }
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

    #[test]
    fn a_grade_up_replaces_the_leading_number() {
        assert_eq!(promoted_name("5А", 6), "6А");
        assert_eq!(promoted_name("10 Б", 11), "11 Б");
        assert_eq!(promoted_name("9 физмат", 10), "10 физмат");
        assert_eq!(promoted_name("Кадетский", 6), "Кадетский");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_name(" 5А ").unwrap(), "5А");
        assert!(matches!(check_name("  "), Err(CreateClassError::NoName)));
        assert!(matches!(
            check_name(&"А".repeat(CLASS_NAME_MAX_CHARS + 1)),
            Err(CreateClassError::NameTooLong)
        ));
    }
}

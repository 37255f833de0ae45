//! People as the members of a school see each other: a name and, for teachers the school confirmed,
//! the «учитель» badge. Nothing of a person's other schools shows.

use api::Author;
use sqlx::SqliteExecutor;

/// "Имя Фамилия".
pub fn display_name(first_name: Option<&str>, last_name: Option<&str>) -> String {
    [first_name, last_name].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// `user_id` as the members of `school_id` see them.
pub async fn author<'e>(
    db: impl SqliteExecutor<'e>,
    school_id: i64,
    user_id: i64,
) -> Result<Author, sqlx::Error> {
    let (first_name, last_name, teacher_verified): (Option<String>, Option<String>, bool) = sqlx::query_as(
        "SELECT u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = ?1 AND v.user_id = u.id)
         FROM users u WHERE u.id = ?2",
    )
    .bind(school_id)
    .bind(user_id)
    .fetch_one(db)
    .await?;
    Ok(Author {
        id: user_id,
        name: display_name(first_name.as_deref(), last_name.as_deref()),
        teacher_verified,
    })
}

/// `user_id`'s "Имя Фамилия".
pub async fn name<'e>(db: impl SqliteExecutor<'e>, user_id: i64) -> Result<String, sqlx::Error> {
    let (first_name, last_name): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT first_name, last_name FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_one(db)
            .await?;
    Ok(display_name(first_name.as_deref(), last_name.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(display_name(Some("Ольга"), Some("Миронова")), "Ольга Миронова");
        assert_eq!(display_name(Some("Ольга"), None), "Ольга");
    }
}

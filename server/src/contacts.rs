//! Safe mode: whom a person may write to one-to-one, and whom a chat's managers may bring into it —
//! and those people as the school sees them.
//!
//! Staff (administrators and teachers) write to anyone of their school. A student writes to the
//! teachers of their classes and to their classmates; a parent to the teachers of their children's
//! classes and to their own children. Someone with several roles has all of their rights.

use std::collections::{HashMap, HashSet};

use api::{ChatMember, Contact, Role};
use sqlx::SqliteConnection;

use crate::access::Standing;
use crate::people::display_name;
use crate::timeline;

/// The people of the school the person may start a 1:1 with; never the person themselves.
pub async fn direct_ids(conn: &mut SqliteConnection, standing: &Standing) -> Result<Vec<i64>, sqlx::Error> {
    let staff = standing.is_admin() || standing.is_teacher();
    sqlx::query_scalar(
        "SELECT DISTINCT m.user_id FROM memberships m
         WHERE m.school_id = ?1 AND m.user_id <> ?2
           AND (?3
                OR (m.role IN ('teacher', 'student') AND m.class_id IN (
                        SELECT own.class_id FROM memberships own JOIN classes k ON k.id = own.class_id
                        WHERE own.school_id = ?1 AND own.user_id = ?2 AND own.role = 'student'
                          AND k.kind = 'class'))
                OR (m.role = 'teacher' AND m.class_id IN (
                        SELECT own.class_id FROM memberships own JOIN classes k ON k.id = own.class_id
                        WHERE own.school_id = ?1 AND own.user_id = ?2 AND own.role = 'parent'
                          AND k.kind = 'class'))
                OR m.user_id IN (SELECT child_id FROM parent_links WHERE parent_id = ?2 AND school_id = ?1))",
    )
    .bind(standing.school_id)
    .bind(standing.user_id)
    .bind(staff)
    .fetch_all(conn)
    .await
}

/// The people of the school whom the person, managing a chat of `class_id`, may bring into it (those
/// already in it included): anyone for an administrator; for anyone else, the people of the class
/// (in any role) and the school's staff.
pub async fn candidate_ids(
    conn: &mut SqliteConnection,
    standing: &Standing,
    class_id: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM memberships
         WHERE school_id = ?1 AND (?2 OR role IN ('admin', 'teacher') OR class_id = ?3)",
    )
    .bind(standing.school_id)
    .bind(standing.is_admin())
    .bind(class_id)
    .fetch_all(conn)
    .await
}

/// The people among `ids` as members of the school see them, by name.
pub async fn contacts(
    conn: &mut SqliteConnection,
    school_id: i64,
    ids: &[i64],
) -> Result<Vec<Contact>, sqlx::Error> {
    let wanted: HashSet<i64> = ids.iter().copied().collect();
    let places: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT m.user_id, m.role, k.name, k.kind FROM memberships m LEFT JOIN classes k ON k.id = m.class_id
         WHERE m.school_id = ? ORDER BY k.grade, k.name",
    )
    .bind(school_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    let mut classes: HashMap<i64, Vec<String>> = HashMap::new();
    for (user_id, role, class, kind) in places.into_iter().filter(|place| wanted.contains(&place.0)) {
        roles.entry(user_id).or_default().extend(Role::parse(&role));
        // «Учительская» is where all the staff are, not a class anyone belongs to.
        if let (Some(class), Some("class")) = (class, kind.as_deref()) {
            let theirs = classes.entry(user_id).or_default();
            if !theirs.contains(&class) {
                theirs.push(class);
            }
        }
    }

    let people: Vec<(i64, Option<String>, Option<String>, bool)> = sqlx::query_as(
        "SELECT u.id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = ?1 AND v.user_id = u.id)
         FROM users u WHERE u.id IN (SELECT user_id FROM memberships WHERE school_id = ?1)",
    )
    .bind(school_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut contacts: Vec<Contact> = people
        .into_iter()
        .filter(|(id, ..)| wanted.contains(id))
        .map(|(id, first_name, last_name, teacher_verified)| Contact {
            id,
            name: display_name(first_name.as_deref(), last_name.as_deref()),
            roles: senior_first(roles.remove(&id).unwrap_or_default()),
            classes: classes.remove(&id).unwrap_or_default(),
            teacher_verified,
        })
        .collect();
    contacts.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(contacts)
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    teacher_verified: bool,
    manager: bool,
    can_post: bool,
}

/// The members of a chat: its managers first, then everyone by name.
pub async fn members(conn: &mut SqliteConnection, chat_id: i64) -> Result<Vec<ChatMember>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.first_name, u.last_name,
                EXISTS (SELECT 1 FROM verified_teachers v WHERE v.school_id = c.school_id AND v.user_id = u.id)
                    AS teacher_verified,
                {manages} AS manager, {posts} AS can_post
         FROM chat_members cm JOIN chats c ON c.id = cm.chat_id JOIN users u ON u.id = cm.user_id
         WHERE cm.chat_id = ?",
        manages = timeline::manages("cm.user_id"),
        posts = timeline::posts("cm.user_id"),
    ))
    .bind(chat_id)
    .fetch_all(&mut *conn)
    .await?;
    let roles: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.user_id, m.role FROM chats c
         JOIN chat_members cm ON cm.chat_id = c.id
         JOIN memberships m ON m.user_id = cm.user_id AND m.school_id = c.school_id
         WHERE c.id = ?",
    )
    .bind(chat_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut roles_of: HashMap<i64, Vec<Role>> = HashMap::new();
    for (user_id, role) in roles {
        roles_of.entry(user_id).or_default().extend(Role::parse(&role));
    }
    let mut members: Vec<ChatMember> = rows
        .into_iter()
        .map(|row| ChatMember {
            id: row.id,
            name: display_name(row.first_name.as_deref(), row.last_name.as_deref()),
            roles: senior_first(roles_of.remove(&row.id).unwrap_or_default()),
            teacher_verified: row.teacher_verified,
            manager: row.manager,
            can_post: row.can_post,
        })
        .collect();
    members.sort_by(|a, b| b.manager.cmp(&a.manager).then(a.name.cmp(&b.name)).then(a.id.cmp(&b.id)));
    Ok(members)
}

/// Everyone's roles in the school, each person's most senior first.
pub async fn roles_in_school(
    conn: &mut SqliteConnection,
    school_id: i64,
) -> Result<HashMap<i64, Vec<Role>>, sqlx::Error> {
    let places: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id, role FROM memberships WHERE school_id = ?")
            .bind(school_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    for (user_id, role) in places {
        roles.entry(user_id).or_default().extend(Role::parse(&role));
    }
    Ok(roles.into_iter().map(|(user_id, roles)| (user_id, senior_first(roles))).collect())
}

/// Each role once, the most senior first (the order of [`Role`]).
fn senior_first(mut roles: Vec<Role>) -> Vec<Role> {
    roles.sort();
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_go_most_senior_first_once_each() {
        let roles = vec![Role::Parent, Role::Teacher, Role::Parent, Role::Admin];
        assert_eq!(senior_first(roles), [Role::Admin, Role::Teacher, Role::Parent]);
    }
}

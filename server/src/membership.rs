//! What joining grants — through an invite at once, or when a join request is approved: a membership of
//! the school (with its class) and the chats that go with it.
//!
//! Every write is `INSERT OR IGNORE`, so granting what a person already holds changes nothing; a
//! channel's posting right a person already has is kept.

use std::collections::HashSet;

use api::{InviteTarget, Role, SystemEvent};
use sqlx::SqliteConnection;

use crate::event_log::Pending;
use crate::people;
use crate::timeline;

/// A role in a place of a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub school_id: i64,
    pub target: InviteTarget,
    pub role: Role,
    /// For a parent's link bound to a child: the child, whose parent the person becomes.
    pub child_id: Option<i64>,
    /// The invite the person came through, kept with a new membership for their card.
    pub invite_id: Option<i64>,
}

/// Whether the person already holds what `grant` gives — the membership and, for a chat, the chat —
/// and if so, the chat to open (one they are in), if any.
pub async fn held(
    conn: &mut SqliteConnection,
    grant: &Grant,
    user_id: i64,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    let class_id = class_of(conn, grant).await?;
    let member: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM memberships
                        WHERE school_id = ? AND user_id = ? AND role = ? AND IFNULL(class_id, 0) = IFNULL(?, 0))",
    )
    .bind(grant.school_id)
    .bind(user_id)
    .bind(grant.role.as_str())
    .bind(class_id)
    .fetch_one(&mut *conn)
    .await?;
    if !member {
        return Ok(None);
    }
    let open = chat_to_open(conn, grant, class_id).await?;
    let in_open: bool = match open {
        Some(chat_id) => in_chat(conn, chat_id, user_id).await?,
        None => false,
    };
    if let InviteTarget::Chat { .. } = grant.target
        && !in_open
    {
        return Ok(None);
    }
    Ok(Some(open.filter(|_| in_open)))
}

/// Gives the person what `grant` grants; returns the chat to open. When that chat is new to them, its
/// timeline says so: «Имя Фамилия — новый участник чата», announced to its members through `pending`
/// (so the caller holds `event_order`).
pub async fn apply(
    conn: &mut SqliteConnection,
    grant: &Grant,
    user_id: i64,
    now: i64,
    pending: &mut Pending,
) -> Result<Option<i64>, sqlx::Error> {
    let class_id = class_of(conn, grant).await?;
    sqlx::query(
        "INSERT OR IGNORE INTO memberships (school_id, user_id, class_id, role, created_at, invite_id)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(grant.school_id)
    .bind(user_id)
    .bind(class_id)
    .bind(grant.role.as_str())
    .bind(now)
    .bind(grant.invite_id)
    .execute(&mut *conn)
    .await?;
    if let (Role::Parent, Some(child_id)) = (grant.role, grant.child_id) {
        sqlx::query(
            "INSERT OR IGNORE INTO parent_links (parent_id, child_id, school_id, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(user_id)
        .bind(child_id)
        .bind(grant.school_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }

    let open = chat_to_open(conn, grant, class_id).await?;
    let mut opened_is_new = false;
    for (chat_id, can_post) in chats_of(conn, grant, class_id).await? {
        let joined = crate::db::join_chat(&mut *conn, chat_id, user_id, can_post, now).await?;
        if Some(chat_id) == open && joined.rows_affected() == 1 {
            opened_is_new = true;
        }
    }
    if let Some(chat_id) = open.filter(|_| opened_is_new) {
        let joined = SystemEvent::MemberJoined {
            user_id: Some(user_id),
            name: people::name(&mut *conn, user_id).await?,
        };
        let frame = timeline::post_system(conn, chat_id, &joined, now).await?;
        pending.push(frame, timeline::member_ids(conn, chat_id).await?);
    }
    Ok(open)
}

/// The chats holding `role` in `class_id` brings, with whether the person may post there: what [`apply`]
/// grants for that class (or, for «Учительская», the school's staff). Administrators: [`admin_chats`].
pub async fn place_chats(
    conn: &mut SqliteConnection,
    school_id: i64,
    role: Role,
    class_id: Option<i64>,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    if role == Role::Admin {
        return admin_chats(conn, school_id).await;
    }
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM classes WHERE id = ?")
        .bind(class_id)
        .fetch_optional(&mut *conn)
        .await?;
    let target = match kind.as_deref() {
        Some("staff_room") => InviteTarget::School,
        // A class, or none (a membership through a chat outside classes): its chats are found by
        // `class_id`, and there are none for none.
        _ => InviteTarget::Class { class_id: class_id.unwrap_or_default() },
    };
    let grant = Grant { school_id, target, role, child_id: None, invite_id: None };
    chats_of(conn, &grant, class_id).await
}

/// What administrators are in: both channels, where they post, and the «Учительская» chat.
pub async fn admin_chats(
    conn: &mut SqliteConnection,
    school_id: i64,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let chats: Vec<i64> = sqlx::query_scalar(
        "SELECT ch.id FROM chats ch
         WHERE ch.school_id = ?1
           AND (ch.channel IN ('general', 'staff')
                OR (ch.kind = 'staff'
                    AND ch.class_id IN (SELECT id FROM classes WHERE school_id = ?1 AND kind = 'staff_room')))
         ORDER BY ch.id",
    )
    .bind(school_id)
    .fetch_all(conn)
    .await?;
    Ok(chats.into_iter().map(|chat_id| (chat_id, true)).collect())
}

/// The chats the person's memberships in the school bring them, all together: what they keep when
/// one of their places changes.
pub async fn entitled_chats(
    conn: &mut SqliteConnection,
    school_id: i64,
    user_id: i64,
) -> Result<HashSet<i64>, sqlx::Error> {
    let places: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT role, class_id FROM memberships WHERE school_id = ? AND user_id = ?")
            .bind(school_id)
            .bind(user_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut chats = HashSet::new();
    for (role, class_id) in places {
        let Some(role) = Role::parse(&role) else { continue };
        chats.extend(
            place_chats(conn, school_id, role, class_id).await?.into_iter().map(|(chat_id, _)| chat_id),
        );
    }
    Ok(chats)
}

/// The class the membership is tied to: «Учительская» for the school's staff, the class, or the
/// chat's class (none for a chat outside classes).
async fn class_of(conn: &mut SqliteConnection, grant: &Grant) -> Result<Option<i64>, sqlx::Error> {
    match grant.target {
        InviteTarget::School => {
            sqlx::query_scalar(
                "SELECT id FROM classes WHERE school_id = ? AND kind = 'staff_room' ORDER BY id LIMIT 1",
            )
            .bind(grant.school_id)
            .fetch_optional(conn)
            .await
        }
        InviteTarget::Class { class_id } => Ok(Some(class_id)),
        InviteTarget::Chat { chat_id } => Ok(sqlx::query_scalar("SELECT class_id FROM chats WHERE id = ?")
            .bind(chat_id)
            .fetch_optional(conn)
            .await?
            .flatten()),
    }
}

/// The chats a grant brings the person into, with whether they may post there. Everyone reads
/// «Общий канал»; teachers also read «Сотрудники». Staff join the «Учительская» chat; in a class,
/// students its class and subject chats, parents its parents' chat, teachers all of its chats.
async fn chats_of(
    conn: &mut SqliteConnection,
    grant: &Grant,
    class_id: Option<i64>,
) -> Result<Vec<(i64, bool)>, sqlx::Error> {
    let mut chats: Vec<(i64, bool)> = match grant.target {
        InviteTarget::Chat { chat_id } => vec![(chat_id, true)],
        InviteTarget::School | InviteTarget::Class { .. } => {
            let kinds = match (grant.target, grant.role) {
                (InviteTarget::School, _) => "('staff')",
                (_, Role::Student) => "('class', 'subject')",
                (_, Role::Parent) => "('parents')",
                (_, Role::Teacher | Role::Admin) => "('class', 'parents', 'subject', 'group')",
            };
            sqlx::query_scalar(&format!(
                "SELECT id FROM chats WHERE school_id = ? AND class_id = ? AND kind IN {kinds} ORDER BY id"
            ))
            .bind(grant.school_id)
            .bind(class_id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|chat_id| (chat_id, true))
            .collect()
        }
    };
    let channels = if grant.role == Role::Teacher { "('general', 'staff')" } else { "('general')" };
    let channels: Vec<i64> =
        sqlx::query_scalar(&format!("SELECT id FROM chats WHERE school_id = ? AND channel IN {channels}"))
            .bind(grant.school_id)
            .fetch_all(&mut *conn)
            .await?;
    chats.extend(channels.into_iter().map(|chat_id| (chat_id, false)));
    Ok(chats)
}

/// Where to take the person after joining: the invite's chat; for the staff, the «Учительская» chat;
/// for a class, its first chat of the role's kind (the class chat for students and teachers, the
/// parents' chat for parents).
async fn chat_to_open(
    conn: &mut SqliteConnection,
    grant: &Grant,
    class_id: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    let kind = match (grant.target, grant.role) {
        (InviteTarget::Chat { chat_id }, _) => return Ok(Some(chat_id)),
        (InviteTarget::School, _) => "staff",
        (_, Role::Parent) => "parents",
        (_, Role::Student | Role::Teacher | Role::Admin) => "class",
    };
    sqlx::query_scalar(
        "SELECT id FROM chats WHERE school_id = ? AND class_id = ? AND kind = ? ORDER BY id LIMIT 1",
    )
    .bind(grant.school_id)
    .bind(class_id)
    .bind(kind)
    .fetch_optional(conn)
    .await
}

async fn in_chat(conn: &mut SqliteConnection, chat_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM chat_members WHERE chat_id = ? AND user_id = ?)")
        .bind(chat_id)
        .bind(user_id)
        .fetch_one(conn)
        .await
}

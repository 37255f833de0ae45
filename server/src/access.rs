//! Who may do what in a school: a person's standing there, and the places they may invite people to.
//!
//! A school is closed: to someone who is not a member it answers `not_found`, as if it did not exist;
//! a member who lacks the right gets `forbidden`.

use api::{ChatKind, InviteTarget, InviteTargetOption, Role};
use sqlx::{SqliteExecutor, SqlitePool};

use crate::error::AppError;

/// A person's roles in one school.
#[derive(Clone, Debug)]
pub struct Standing {
    pub school_id: i64,
    pub user_id: i64,
    pub roles: Vec<Role>,
    /// The classes (not «Учительская») the person teaches.
    pub teacher_classes: Vec<i64>,
}

impl Standing {
    /// The person's standing in the school; `not_found` when they are not a member of it.
    pub async fn load<'e>(
        db: impl SqliteExecutor<'e>,
        school_id: i64,
        user_id: i64,
    ) -> Result<Standing, AppError> {
        let rows: Vec<(String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT m.role, m.class_id, c.kind FROM memberships m LEFT JOIN classes c ON c.id = m.class_id
             WHERE m.school_id = ? AND m.user_id = ?",
        )
        .bind(school_id)
        .bind(user_id)
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            return Err(AppError::NotFound);
        }
        let mut roles: Vec<Role> = rows.iter().filter_map(|(role, _, _)| Role::parse(role)).collect();
        roles.sort();
        roles.dedup();
        let mut teacher_classes: Vec<i64> = rows
            .iter()
            .filter(|(role, _, kind)| role == Role::Teacher.as_str() && kind.as_deref() == Some("class"))
            .filter_map(|(_, class_id, _)| *class_id)
            .collect();
        teacher_classes.sort_unstable();
        teacher_classes.dedup();
        Ok(Standing { school_id, user_id, roles, teacher_classes })
    }

    pub fn is_admin(&self) -> bool {
        self.roles.contains(&Role::Admin)
    }

    pub fn is_teacher(&self) -> bool {
        self.roles.contains(&Role::Teacher)
    }

    pub fn teaches(&self, class_id: Option<i64>) -> bool {
        class_id.is_some_and(|class_id| self.teacher_classes.contains(&class_id))
    }

    /// Whether the person decides join requests about `class_id` (administrators decide all of them).
    pub fn decides(&self, class_id: Option<i64>) -> bool {
        self.is_admin() || self.teaches(class_id)
    }

    /// Administrators and teachers: the people who invite others.
    pub fn require_staff(&self) -> Result<(), AppError> {
        if self.is_admin() || self.is_teacher() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// The roles an invite into a chat of `kind` may grant, in the order to offer them; none for
/// channels and direct chats, which nobody joins through a link.
pub fn chat_roles(kind: ChatKind) -> &'static [Role] {
    match kind {
        ChatKind::Parents => &[Role::Parent],
        ChatKind::Class | ChatKind::Subject => &[Role::Student],
        ChatKind::Staff => &[Role::Teacher],
        ChatKind::Group => &[Role::Student, Role::Parent, Role::Teacher],
        ChatKind::Channel | ChatKind::Direct | ChatKind::Unknown => &[],
    }
}

/// The chat kinds an invite may lead into.
const TARGET_CHAT_KINDS: &str = "('parents', 'class', 'subject', 'staff', 'group')";

/// Where the person may invite people to, and with which roles. Administrators: «Учительская»
/// (teachers), every class and every chat. Teachers: their classes (students and parents) and the
/// chats of their classes they are in (never as teachers: bringing in staff is the administrators'
/// job). Everyone else: nowhere.
///
/// Each place once: a class's own chat and parents' chat, and the «Учительская» chat, are what the
/// class and «Учительская» already lead to (a student of 5А lands in the «5А» chat, a parent in
/// «Родители 5А»), so they are not offered again as chats under the same names.
pub async fn invite_targets(
    db: &SqlitePool,
    standing: &Standing,
) -> Result<Vec<InviteTargetOption>, AppError> {
    let mut options = Vec::new();
    let admin = standing.is_admin();
    if admin {
        let staff_room: Option<String> = sqlx::query_scalar(
            "SELECT name FROM classes WHERE school_id = ? AND kind = 'staff_room' ORDER BY id LIMIT 1",
        )
        .bind(standing.school_id)
        .fetch_optional(db)
        .await?;
        if let Some(name) = staff_room {
            options.push(InviteTargetOption {
                target: InviteTarget::School,
                name,
                roles: vec![Role::Teacher],
            });
        }
    } else if standing.teacher_classes.is_empty() {
        return Ok(options);
    }

    let classes: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM classes c
         WHERE c.school_id = ?1 AND c.kind = 'class' AND c.archived_at IS NULL
           AND (?2 OR EXISTS (SELECT 1 FROM memberships m WHERE m.class_id = c.id AND m.user_id = ?3
                                                         AND m.role = 'teacher'))
         ORDER BY c.grade, c.name",
    )
    .bind(standing.school_id)
    .bind(admin)
    .bind(standing.user_id)
    .fetch_all(db)
    .await?;
    let class_roles: &[Role] =
        if admin { &[Role::Student, Role::Parent, Role::Teacher] } else { &[Role::Student, Role::Parent] };
    options.extend(classes.into_iter().map(|(class_id, name)| InviteTargetOption {
        target: InviteTarget::Class { class_id },
        name,
        roles: class_roles.to_vec(),
    }));

    let chats: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT ch.id, ch.title, ch.kind FROM chats ch
         WHERE ch.school_id = ?1 AND ch.kind IN {TARGET_CHAT_KINDS}
           AND NOT EXISTS (SELECT 1 FROM classes a WHERE a.id = ch.class_id AND a.archived_at IS NOT NULL)
           AND NOT (ch.class_id IS NOT NULL AND ch.kind IN ('class', 'parents', 'staff'))
           AND (?2 OR (EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = ch.id AND cm.user_id = ?3)
                       AND EXISTS (SELECT 1 FROM memberships m JOIN classes c ON c.id = m.class_id
                                   WHERE m.class_id = ch.class_id AND m.user_id = ?3
                                     AND m.role = 'teacher' AND c.kind = 'class')))
         ORDER BY ch.title, ch.id"
    ))
    .bind(standing.school_id)
    .bind(admin)
    .bind(standing.user_id)
    .fetch_all(db)
    .await?;
    for (chat_id, name, kind) in chats {
        let roles: Vec<Role> = chat_roles(ChatKind::parse(&kind))
            .iter()
            .copied()
            .filter(|&r| admin || r != Role::Teacher)
            .collect();
        if !roles.is_empty() {
            options.push(InviteTargetOption { target: InviteTarget::Chat { chat_id }, name, roles });
        }
    }
    Ok(options)
}

/// Whether `target` is a place of the school an invite could lead to at all (for anyone), so that a
/// person without the right to it hears `forbidden` and a made-up id `not_found`.
pub async fn target_exists(db: &SqlitePool, school_id: i64, target: InviteTarget) -> Result<bool, AppError> {
    let exists = match target {
        InviteTarget::School => true,
        InviteTarget::Class { class_id } => {
            sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM classes WHERE id = ? AND school_id = ? AND kind = 'class')",
            )
            .bind(class_id)
            .bind(school_id)
            .fetch_one(db)
            .await?
        }
        InviteTarget::Chat { chat_id } => {
            sqlx::query_scalar(&format!(
                "SELECT EXISTS (SELECT 1 FROM chats WHERE id = ? AND school_id = ? AND kind IN {TARGET_CHAT_KINDS})"
            ))
            .bind(chat_id)
            .bind(school_id)
            .fetch_one(db)
            .await?
        }
    };
    Ok(exists)
}

/// The option for `target` among the person's [`invite_targets`]: `not_found` for a place the school
/// does not have, `forbidden` for one the person may not invite to.
pub async fn resolve_target(
    db: &SqlitePool,
    standing: &Standing,
    target: InviteTarget,
) -> Result<InviteTargetOption, AppError> {
    if !target_exists(db, standing.school_id, target).await? {
        return Err(AppError::NotFound);
    }
    invite_targets(db, standing)
        .await?
        .into_iter()
        .find(|option| option.target == target)
        .ok_or(AppError::Forbidden)
}

/// The people who decide join requests about `class_id` in a school: its administrators and the
/// class's teachers.
pub async fn approvers(db: &SqlitePool, school_id: i64, class_id: Option<i64>) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT m.user_id FROM memberships m LEFT JOIN classes c ON c.id = m.class_id
         WHERE m.school_id = ?1
           AND (m.role = 'admin' OR (m.role = 'teacher' AND m.class_id = ?2 AND c.kind = 'class'))",
    )
    .bind(school_id)
    .bind(class_id)
    .fetch_all(db)
    .await?)
}

/// The administrators of a school.
pub async fn admins(db: &SqlitePool, school_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT DISTINCT user_id FROM memberships WHERE school_id = ? AND role = 'admin'")
        .bind(school_id)
        .fetch_all(db)
        .await?)
}

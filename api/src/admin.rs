//! The administrator's screens: the school's information, its classes, its people, statistics, the
//! audit log and the year-end transfer.
//!
//! Every endpoint here answers only administrators of that school (`forbidden` to its other members,
//! `not_found` to everyone else), except [`SchoolInfo`], which every member reads (the «Электронный
//! журнал» link). Every change is written to the audit log in the same transaction.

use serde::{Deserialize, Serialize};

use crate::{Author, ChatKind, Role};

/// The longest value of a free-text field of [`SchoolInfo`] (address, municipality…), in characters.
pub const SCHOOL_FIELD_MAX_CHARS: usize = 300;
/// The most students a class may be said to have.
pub const CLASS_SIZE_MAX: u32 = 60;
/// Grades a school teaches.
pub const GRADES: std::ops::RangeInclusive<u8> = 1..=11;

/// `GET /api/v1/schools/{id}/info` (every member) and, without `id`, the body of
/// `PUT /api/v1/schools/{id}/info` (administrators). Empty optional fields travel as `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SchoolInfo {
    #[serde(default)]
    pub id: i64,
    /// The full name: «МБОУ "Средняя общеобразовательная школа № 7"». Every text field is cleaned as
    /// one line ([`crate::text`]) when read from a request.
    #[serde(deserialize_with = "crate::text::line")]
    pub name: String,
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub short_name: Option<String>,
    /// «Свердловская область».
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub region: Option<String>,
    /// «г. Екатеринбург».
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub municipality: Option<String>,
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub address: Option<String>,
    /// Normalised `+7XXXXXXXXXX`.
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub email: Option<String>,
    /// `https://…` (a bare domain is accepted and given `https://`).
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub website: Option<String>,
    /// The electronic journal and diary, shown to every member as «Электронный журнал». `https://…`.
    #[serde(default, deserialize_with = "crate::text::optional_line")]
    pub journal_url: Option<String>,
    /// The version of the school's logo, when it has one: its image is
    /// `GET /api/v1/schools/{id}/logo?v=<version>`. Ignored by `PUT …/info`: the logo has its own
    /// endpoints.
    #[serde(default)]
    pub logo: Option<i64>,
}

/// `PUT /api/v1/schools/{id}/logo`: an image the administrator uploaded (`POST /api/v1/files`) becomes
/// the school's logo. Its small copy is kept (at most 480 px, re-encoded: nothing of the original
/// file but its pixels); the upload itself is removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SetLogo {
    pub file_id: i64,
}

/// A person as the administrator's screens name them.
pub type PersonRef = Author;

/// A chat of a class, as its card lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassChat {
    pub id: i64,
    pub title: String,
    pub kind: ChatKind,
}

/// One class of the school (`GET /api/v1/schools/{id}/classes`), «Учительская» first, then by grade and
/// name, archived classes last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassSummary {
    pub id: i64,
    pub name: String,
    pub grade: Option<u8>,
    /// «Учительская»: always there, never renamed, archived or deleted.
    pub staff_room: bool,
    /// Archived (graduated): members keep reading its chats, nobody posts.
    pub archived: bool,
    /// How many students the class has on paper: the adoption view compares it with who joined.
    pub size: Option<u32>,
    /// The class teacher («классный руководитель»): one of `teachers`.
    pub homeroom: Option<PersonRef>,
    pub teachers: Vec<PersonRef>,
    pub students: u32,
    pub parents: u32,
    pub chats: Vec<ClassChat>,
}

/// `POST /api/v1/schools/{id}/classes` (201 with the [`ClassSummary`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NewClass {
    /// «5А», cleaned as one line ([`crate::text`]). The grade is read from its leading number.
    #[serde(deserialize_with = "crate::text::line")]
    pub name: String,
    #[serde(default)]
    pub size: Option<u32>,
}

/// `POST /api/v1/schools/{id}/classes/bulk`: every grade × letter at once («1А»…«11В»). Names the
/// school already has are skipped, not an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BulkClasses {
    /// Each in [`GRADES`].
    pub grades: Vec<u8>,
    /// «А», «Б»…: one to three letters each, once cleaned as one line ([`crate::text`]).
    #[serde(deserialize_with = "crate::text::lines")]
    pub letters: Vec<String>,
}

/// The answer to [`BulkClasses`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BulkCreated {
    pub created: Vec<ClassSummary>,
    /// Names that already existed.
    pub skipped: Vec<String>,
}

/// `PATCH /api/v1/classes/{id}`: only the fields present change. `homeroom_id: null` clears the class
/// teacher; a homeroom teacher who does not teach the class yet is made one of its teachers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassChanges {
    /// Cleaned as [`NewClass::name`].
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::text::optional_line"
    )]
    pub name: Option<String>,
    /// `Some(None)` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub size: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub homeroom_id: Option<Option<i64>>,
}

// `PUT /api/v1/classes/{id}/teachers/{user_id}` makes a teacher of the school a teacher of the class
// (and a member of its chats); `DELETE` undoes it. 409 `conflict` when the person is not a teacher.
// `DELETE /api/v1/classes/{id}` deletes a class only while it is empty: 409 `class_not_empty`.

/// Status filter of the roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// A member of the school.
    Active,
    /// Asked to join; the request waits for a decision.
    Pending,
    /// A teacher whose «учитель» status is not confirmed.
    Unverified,
}

/// One of a person's roles in the school, with its class: a membership.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Membership {
    /// Absent for a pending request's role (not a membership yet).
    pub id: Option<i64>,
    pub role: Role,
    pub class_id: Option<i64>,
    /// «5А», «Учительская».
    pub class_name: Option<String>,
}

/// One person of the roster (`GET /api/v1/schools/{id}/roster?role=&class_id=&status=&q=`), sorted by
/// last name. `q` matches any word of the name by its start, in any case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub id: i64,
    pub name: String,
    pub status: PersonStatus,
    pub teacher_verified: bool,
    pub memberships: Vec<Membership>,
}

/// A child or parent named on a person's card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Relative {
    pub id: i64,
    pub name: String,
    pub class_name: Option<String>,
}

/// `GET /api/v1/schools/{id}/people/{user_id}`: a person's card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonCard {
    pub id: i64,
    pub name: String,
    pub status: PersonStatus,
    pub teacher_verified: bool,
    pub memberships: Vec<Membership>,
    pub children: Vec<Relative>,
    pub parents: Vec<Relative>,
    /// RFC 3339: when the person first became a member of this school.
    pub joined_at: Option<String>,
    /// The label (or, without one, the target) of the invite they first joined through.
    pub joined_by: Option<String>,
    /// For a young student registered by a parent's e-mail: whether that parent confirmed the child
    /// (until then the child reads but cannot write).
    #[serde(default)]
    pub young_student: Option<crate::YoungStudent>,
    /// What administrators did about this person, newest first.
    pub history: Vec<AuditEntry>,
}

/// `PATCH /api/v1/schools/{id}/memberships/{membership_id}`: change a role in place (a student who is
/// really a parent) or move a student to another class, keeping their chats' history and the record
/// in the audit log. The person leaves the chats of the old class and role and joins the new ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MembershipChange {
    /// Teacher, student or parent (administrators are appointed, not changed into).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_id: Option<i64>,
}

// `DELETE /api/v1/schools/{id}/people/{user_id}`: removes a person from the school (every role, every
// chat of the school). `PUT` / `DELETE /api/v1/schools/{id}/admins/{user_id}` appoint and remove an
// administrator; the last one cannot be removed (409 `last_admin`), nor can they remove themselves
// from the school.

/// What an audit entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SchoolInfoUpdated,
    SchoolLogoChanged,
    SchoolLogoRemoved,
    ClassCreated,
    ClassRenamed,
    ClassArchived,
    ClassRestored,
    ClassDeleted,
    ClassSizeSet,
    TeacherAssigned,
    TeacherUnassigned,
    HomeroomSet,
    HomeroomCleared,
    RoleChanged,
    StudentMoved,
    MemberRemoved,
    AdminAppointed,
    AdminRemoved,
    InviteCreated,
    InviteRevoked,
    InvitesRevokedUnused,
    RequestApproved,
    RequestRejected,
    TeacherVerified,
    TeacherDeclined,
    YearTransferred,
    /// An administrator joined a chat of the school they were not a member of (`to`: its title).
    ChatJoined,
    /// An action this version of the app does not know.
    #[serde(other)]
    Unknown,
}

impl AuditAction {
    pub const ALL: [AuditAction; 27] = [
        AuditAction::SchoolInfoUpdated,
        AuditAction::SchoolLogoChanged,
        AuditAction::SchoolLogoRemoved,
        AuditAction::ClassCreated,
        AuditAction::ClassRenamed,
        AuditAction::ClassArchived,
        AuditAction::ClassRestored,
        AuditAction::ClassDeleted,
        AuditAction::ClassSizeSet,
        AuditAction::TeacherAssigned,
        AuditAction::TeacherUnassigned,
        AuditAction::HomeroomSet,
        AuditAction::HomeroomCleared,
        AuditAction::RoleChanged,
        AuditAction::StudentMoved,
        AuditAction::MemberRemoved,
        AuditAction::AdminAppointed,
        AuditAction::AdminRemoved,
        AuditAction::InviteCreated,
        AuditAction::InviteRevoked,
        AuditAction::InvitesRevokedUnused,
        AuditAction::RequestApproved,
        AuditAction::RequestRejected,
        AuditAction::TeacherVerified,
        AuditAction::TeacherDeclined,
        AuditAction::YearTransferred,
        AuditAction::ChatJoined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SchoolInfoUpdated => "school_info_updated",
            AuditAction::SchoolLogoChanged => "school_logo_changed",
            AuditAction::SchoolLogoRemoved => "school_logo_removed",
            AuditAction::ClassCreated => "class_created",
            AuditAction::ClassRenamed => "class_renamed",
            AuditAction::ClassArchived => "class_archived",
            AuditAction::ClassRestored => "class_restored",
            AuditAction::ClassDeleted => "class_deleted",
            AuditAction::ClassSizeSet => "class_size_set",
            AuditAction::TeacherAssigned => "teacher_assigned",
            AuditAction::TeacherUnassigned => "teacher_unassigned",
            AuditAction::HomeroomSet => "homeroom_set",
            AuditAction::HomeroomCleared => "homeroom_cleared",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::StudentMoved => "student_moved",
            AuditAction::MemberRemoved => "member_removed",
            AuditAction::AdminAppointed => "admin_appointed",
            AuditAction::AdminRemoved => "admin_removed",
            AuditAction::InviteCreated => "invite_created",
            AuditAction::InviteRevoked => "invite_revoked",
            AuditAction::InvitesRevokedUnused => "invites_revoked_unused",
            AuditAction::RequestApproved => "request_approved",
            AuditAction::RequestRejected => "request_rejected",
            AuditAction::TeacherVerified => "teacher_verified",
            AuditAction::TeacherDeclined => "teacher_declined",
            AuditAction::YearTransferred => "year_transferred",
            AuditAction::ChatJoined => "chat_joined",
            AuditAction::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One administrative action (`GET /api/v1/schools/{id}/audit?action=&actor_id=&subject_id=&before=`,
/// newest first, 50 a page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub action: AuditAction,
    pub actor: Option<PersonRef>,
    /// The person acted on, if any.
    pub subject: Option<PersonRef>,
    /// The class the action was about, by its name at the time.
    pub class_name: Option<String>,
    /// What changed, as plain values the app words: an old name, role or class.
    pub from: Option<String>,
    /// The new name, role or class; for invites, their label or count.
    pub to: Option<String>,
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before=` for the next (older) page; absent at the end.
    pub next_before: Option<i64>,
}

/// Members of the school holding a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RoleCount {
    pub role: Role,
    pub count: u32,
}

/// How far a class has come into Parta: joined students and parents against the class's size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassAdoption {
    pub class_id: i64,
    pub name: String,
    pub size: Option<u32>,
    pub students: u32,
    pub parents: u32,
}

/// A count on one day (`YYYY-MM-DD`, the server's UTC day) or week (its Monday).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DayCount {
    pub day: String,
    pub count: u32,
}

/// `GET /api/v1/schools/{id}/stats`: what the head of school looks at. Days run over the last 30 days
/// and weeks over the last 12, oldest first, with zeros where nothing happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SchoolStats {
    /// People, not memberships: a teacher of three classes counts once.
    pub members_by_role: Vec<RoleCount>,
    /// Every class that is not archived, «Учительская» excluded.
    pub classes: Vec<ClassAdoption>,
    /// Members who used Parta that day.
    pub active_per_day: Vec<DayCount>,
    pub active_per_week: Vec<DayCount>,
    /// Messages posted in the school's chats that day.
    pub messages_per_day: Vec<DayCount>,
}

/// What the year-end transfer does to one class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClassTransfer {
    pub class_id: i64,
    pub name: String,
    /// The new name («6А»); absent when the class graduates (11th grade): it is archived and its
    /// members keep reading its chats.
    pub becomes: Option<String>,
}

/// `GET /api/v1/schools/{id}/year-end`: the preview. `POST` with the same `classes` applies it in one
/// transaction; 409 `conflict` when the classes changed since the preview (look again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct YearEnd {
    pub classes: Vec<ClassTransfer>,
}

/// Serde for `Option<Option<T>>`: absent → `None`, `null` → `Some(None)`.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_changes_tell_absent_from_null() {
        let absent: ClassChanges = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.homeroom_id, None);
        let cleared: ClassChanges = serde_json::from_str(r#"{"homeroom_id":null}"#).unwrap();
        assert_eq!(cleared.homeroom_id, Some(None));
        let set: ClassChanges = serde_json::from_str(r#"{"homeroom_id":7,"size":25}"#).unwrap();
        assert_eq!((set.homeroom_id, set.size), (Some(Some(7)), Some(Some(25))));
        assert_eq!(serde_json::to_string(&cleared).unwrap(), r#"{"homeroom_id":null}"#);
    }

    #[test]
    fn audit_actions_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
        }
        assert_eq!(serde_json::from_str::<AuditAction>("\"from_the_future\"").unwrap(), AuditAction::Unknown);
    }
}

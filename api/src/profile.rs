//! The person signed in, their educational profile and their schools.

use serde::{Deserialize, Serialize};

use crate::FieldProblem;

/// `GET /api/v1/me`: who is signed in and where they belong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    pub schools: Vec<SchoolMembership>,
}

/// A person's educational profile («учебный профиль»), as they see it themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    /// Normalised `+7XXXXXXXXXX`; empty for a young student who signs in by a parent's e-mail.
    pub phone: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// False until the first-time profile is filled in; most endpoints answer `profile_incomplete`.
    pub profile_complete: bool,
    /// Set for a young student, who signs in by a parent's e-mail: until that parent confirms the
    /// child, writing anything answers `child_not_confirmed`.
    #[serde(default)]
    pub young_student: Option<YoungStudent>,
}

/// A young student's account: registered by a parent's e-mail, limited until the parent confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct YoungStudent {
    /// The parent's address with its local part hidden: `p•••@mail.ru`.
    pub parent_email_masked: String,
    /// The parent confirmed the child: the limits are lifted.
    pub confirmed: bool,
    /// Not confirmed, and the parent's latest answer was «this is not my child». The child may still
    /// send a new link (a parent who answered by mistake confirms through it).
    #[serde(default)]
    pub declined: bool,
}

/// `PUT /api/v1/me/profile`: the first-time profile (and later edits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// Cleaned as one line ([`crate::text`]), then checked by [`validate_name`].
    #[serde(deserialize_with = "crate::text::line")]
    pub first_name: String,
    #[serde(deserialize_with = "crate::text::line")]
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
}

/// One school the person belongs to, with their roles in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SchoolMembership {
    pub school: SchoolSummary,
    pub roles: Vec<Role>,
    /// For a teacher: where their «учитель» status stands; absent for everyone else.
    #[serde(default)]
    pub teacher_status: Option<crate::TeacherStatus>,
    /// Join requests and teacher verifications waiting for this person's decision.
    #[serde(default)]
    pub pending_decisions: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SchoolSummary {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    /// The school's electronic journal and diary (`https://…`), shown to every member as
    /// «Электронный журнал»; set on the administrator's «Информация».
    #[serde(default)]
    pub journal_url: Option<String>,
    /// The version of the school's logo, if it has one (see `SchoolInfo::logo`).
    #[serde(default)]
    pub logo: Option<i64>,
}

/// A person's role in a school. One person may hold several (a teacher who is also a parent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Teacher,
    Student,
    Parent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::Parent => "parent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Admin, Role::Teacher, Role::Student, Role::Parent].into_iter().find(|r| r.as_str() == s)
    }
}

/// The longest first or last name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 50;

/// Checks a first or last name and returns it cleaned as one line ([`crate::text::clean_line`]).
/// Letters of any script, spaces, hyphens, apostrophes and dots (initials) are allowed:
/// «Анна-Мария», «д'Артаньян», «Тер-Петросян».
pub fn validate_name(input: &str) -> Result<String, FieldProblem> {
    let name = crate::text::clean_line(input);
    if name.is_empty() {
        return Err(FieldProblem::Required);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(FieldProblem::TooLong);
    }
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.');
    if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
        return Err(FieldProblem::InvalidCharacters);
    }
    Ok(name)
}

/// Checks a birth date `YYYY-MM-DD` against today's date (also `YYYY-MM-DD`, from the caller's
/// clock): a real calendar date, not in the future, not before 1900.
pub fn validate_birth_date(input: &str, today: &str) -> Result<String, FieldProblem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(FieldProblem::Required);
    }
    let (y, m, d) = parse_date(input).ok_or(FieldProblem::InvalidDate)?;
    if y < 1900 {
        return Err(FieldProblem::DateTooOld);
    }
    if let Some(today) = parse_date(today)
        && (y, m, d) > today
    {
        return Err(FieldProblem::DateInFuture);
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_folded() {
        assert_eq!(validate_name("  Анна   Мария "), Ok("Анна Мария".into()));
        assert_eq!(validate_name("Тер-Петросян"), Ok("Тер-Петросян".into()));
        assert_eq!(validate_name("д'Артаньян"), Ok("д'Артаньян".into()));
    }

    #[test]
    fn bad_names_are_refused() {
        assert_eq!(validate_name("   "), Err(FieldProblem::Required));
        assert_eq!(validate_name("<script>"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(validate_name("Anna1"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(validate_name("--"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(validate_name(&"я".repeat(51)), Err(FieldProblem::TooLong));
        assert!(validate_name(&"я".repeat(50)).is_ok());
    }

    #[test]
    fn birth_dates() {
        let today = "2026-11-22";
        assert_eq!(validate_birth_date("2015-02-28", today), Ok("2015-02-28".into()));
        assert_eq!(validate_birth_date("2016-02-29", today), Ok("2016-02-29".into()));
        assert_eq!(validate_birth_date("2015-02-29", today), Err(FieldProblem::InvalidDate));
        assert_eq!(validate_birth_date("2015-13-01", today), Err(FieldProblem::InvalidDate));
        assert_eq!(validate_birth_date("15.02.2015", today), Err(FieldProblem::InvalidDate));
        assert_eq!(validate_birth_date("2026-11-23", today), Err(FieldProblem::DateInFuture));
        assert_eq!(validate_birth_date("1899-12-31", today), Err(FieldProblem::DateTooOld));
        assert_eq!(validate_birth_date("", today), Err(FieldProblem::Required));
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Teacher, Role::Student, Role::Parent] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_str()));
        }
    }
}

//! The school's own page («О школе»), which every member reads and its administrators edit, its logo,
//! and the audit log of what administrators did.

use api::{
    ApiError, AuditAction, AuditPage, FieldError, FieldProblem, SCHOOL_FIELD_MAX_CHARS, SchoolInfo, SetLogo,
};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sqlx::SqliteExecutor;

use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::access::Standing;
use crate::audit::{self, Record};
use crate::auth::session::Session;
use crate::error::AppError;
use crate::extract;

/// The longest full name of a school, in characters.
pub const SCHOOL_NAME_MAX_CHARS: usize = 200;
/// Entries of the audit log per page.
const AUDIT_PAGE: u32 = 50;

/// The school's information: its names, where it is, how to reach it, and the link to its electronic
/// journal («Электронный журнал»).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/info",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The school's information", body = SchoolInfo),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn info(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Json<SchoolInfo>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?;
    Ok(Json(load(&state.db, school_id).await?))
}

/// Replaces the school's information (administrators). Text is trimmed and empty fields become `null`;
/// the phone is normalised to `+7XXXXXXXXXX`; a website or journal link without a scheme gets
/// `https://`.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{school_id}/info",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = SchoolInfo,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The school's information as stored", body = SchoolInfo),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `name` (`required`, `too_long`: 200), `short_name`, `region`, `municipality`, `address` (`too_long`: `SCHOOL_FIELD_MAX_CHARS`), `phone` (`invalid_characters`: not a Russian number), `email` (`invalid_characters`), `website`, `journal_url` (`invalid_characters`: not a web address; `not_allowed`: a scheme other than http and https)", body = ApiError),
    ),
)]
pub async fn update_info(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<SchoolInfo>,
) -> Result<Json<SchoolInfo>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let info = validate(school_id, &body).map_err(AppError::Validation)?;

    let mut tx = crate::db::begin_write(&state.db).await?;
    sqlx::query(
        "UPDATE schools SET name = ?, short_name = ?, region = ?, municipality = ?, address = ?, phone = ?,
                            email = ?, website = ?, journal_url = ?
         WHERE id = ?",
    )
    .bind(&info.name)
    .bind(&info.short_name)
    .bind(&info.region)
    .bind(&info.municipality)
    .bind(&info.address)
    .bind(&info.phone)
    .bind(&info.email)
    .bind(&info.website)
    .bind(&info.journal_url)
    .bind(school_id)
    .execute(&mut *tx)
    .await?;
    let now = state.clock.unix();
    audit::record(
        &mut tx,
        school_id,
        session.user_id,
        AuditAction::SchoolInfoUpdated,
        Record::default(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load(&state.db, school_id).await?))
}

/// How long a browser keeps a logo: for good, as a new logo has a new address (`?v=`).
const LOGO_CACHE: &str = "private, max-age=31536000, immutable";

/// The school's logo (any member): the image, at most 480 px on its longer side.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/logo",
    tag = "school administration",
    params(
        ("school_id" = i64, Path, description = "School id"),
        ("v" = Option<i64>, Query, description = "The logo's version (`SchoolInfo::logo`), only to make its address change with it"),
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "The logo: `image/png` or `image/jpeg`", content_type = "image/png"),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such school, the person is not a member, or it has no logo", body = ApiError),
    ),
)]
pub async fn logo(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<Response, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?;
    let (content, content_type): (Vec<u8>, String) =
        sqlx::query_as("SELECT content, content_type FROM school_logos WHERE school_id = ?")
            .bind(school_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
    let content_type = if content_type == "image/png" { "image/png" } else { "image/jpeg" };
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static(LOGO_CACHE)),
    ];
    Ok((headers, content).into_response())
}

/// Makes an image the administrator uploaded the school's logo (administrators). Only the upload's small
/// copy is kept — re-encoded, so no camera metadata — and the upload itself is removed.
#[utoipa::path(
    put,
    path = "/api/v1/schools/{school_id}/logo",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    request_body = SetLogo,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The school's information with its new logo version", body = SchoolInfo),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `file_id` (`required`: no upload of this person has that id; `not_allowed`: it is not an image)", body = ApiError),
    ),
)]
pub async fn set_logo(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Json(body): extract::Json<SetLogo>,
) -> Result<Json<SchoolInfo>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    // Only an upload of this administrator's own, and never one already sent or kept: those belong to
    // a chat or to «Мои файлы».
    let upload: Option<(String, bool)> = sqlx::query_as(
        "SELECT f.storage_key, f.is_image FROM files f
         WHERE f.id = ? AND f.owner_id = ? AND NOT f.kept
           AND NOT EXISTS (SELECT 1 FROM message_files mf WHERE mf.file_id = f.id)",
    )
    .bind(body.file_id)
    .bind(session.user_id)
    .fetch_optional(&state.db)
    .await?;
    let (storage_key, is_image) =
        upload.ok_or_else(|| AppError::Validation(vec![field("file_id", FieldProblem::Required)]))?;
    if !is_image {
        return Err(AppError::Validation(vec![field("file_id", FieldProblem::NotAllowed)]));
    }
    let files_dir = state.config.files_dir();
    let thumbnail = tokio::fs::read(crate::files::thumbnail_path(&files_dir, &storage_key)).await?;
    let content_type = crate::files::thumbnail_content_type(&thumbnail);

    let mut tx = crate::db::begin_write(&state.db).await?;
    sqlx::query(
        "INSERT INTO school_logos (school_id, content, content_type) VALUES (?1, ?2, ?3)
         ON CONFLICT (school_id) DO UPDATE SET content = excluded.content, content_type = excluded.content_type",
    )
    .bind(school_id)
    .bind(&thumbnail)
    .bind(content_type)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE schools SET logo_version = logo_version + 1 WHERE id = ?")
        .bind(school_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM files WHERE id = ?").bind(body.file_id).execute(&mut *tx).await?;
    let now = state.clock.unix();
    audit::record(
        &mut tx,
        school_id,
        session.user_id,
        AuditAction::SchoolLogoChanged,
        Record::default(),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::files::remove_content(&files_dir, &[storage_key]).await;
    Ok(Json(load(&state.db, school_id).await?))
}

/// Removes the school's logo (administrators). Removing none is not an error.
#[utoipa::path(
    delete,
    path = "/api/v1/schools/{school_id}/logo",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The school has no logo"),
        (status = 400, description = "`bad_request`: the id is not a number", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn remove_logo(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let mut tx = crate::db::begin_write(&state.db).await?;
    let removed = sqlx::query("DELETE FROM school_logos WHERE school_id = ?")
        .bind(school_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed > 0 {
        sqlx::query("UPDATE schools SET logo_version = logo_version + 1 WHERE id = ?")
            .bind(school_id)
            .execute(&mut *tx)
            .await?;
        let now = state.clock.unix();
        audit::record(
            &mut tx,
            school_id,
            session.user_id,
            AuditAction::SchoolLogoRemoved,
            Record::default(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    name: String,
    short_name: Option<String>,
    region: Option<String>,
    municipality: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    journal_url: Option<String>,
    logo: Option<i64>,
}

async fn load<'e>(db: impl SqliteExecutor<'e>, school_id: i64) -> Result<SchoolInfo, sqlx::Error> {
    let row: InfoRow = sqlx::query_as(
        "SELECT s.name, s.short_name, s.region, s.municipality, s.address, s.phone, s.email, s.website,
                s.journal_url, CASE WHEN l.school_id IS NULL THEN NULL ELSE s.logo_version END AS logo
         FROM schools s LEFT JOIN school_logos l ON l.school_id = s.id WHERE s.id = ?",
    )
    .bind(school_id)
    .fetch_one(db)
    .await?;
    Ok(SchoolInfo {
        id: school_id,
        name: row.name,
        short_name: row.short_name,
        region: row.region,
        municipality: row.municipality,
        address: row.address,
        phone: row.phone,
        email: row.email,
        website: row.website,
        journal_url: row.journal_url,
        logo: row.logo,
    })
}

/// The information as it is to be stored, or what is wrong with it.
fn validate(school_id: i64, body: &SchoolInfo) -> Result<SchoolInfo, Vec<FieldError>> {
    let mut problems = Vec::new();
    let name = body.name.trim();
    if name.is_empty() {
        problems.push(field("name", FieldProblem::Required));
    } else if name.chars().count() > SCHOOL_NAME_MAX_CHARS {
        problems.push(field("name", FieldProblem::TooLong));
    }
    let mut text = |name: &str, value: &Option<String>, check: fn(&str) -> Result<String, FieldProblem>| {
        let value = value.as_deref().map(str::trim).filter(|value| !value.is_empty())?;
        // Measured as stored: a bare domain gains its `https://`.
        let checked = check(value).and_then(|value| {
            if value.chars().count() > SCHOOL_FIELD_MAX_CHARS {
                Err(FieldProblem::TooLong)
            } else {
                Ok(value)
            }
        });
        checked.map_err(|problem| problems.push(field(name, problem))).ok()
    };
    let plain = |value: &str| Ok(value.to_string());
    let info = SchoolInfo {
        id: school_id,
        name: name.to_string(),
        short_name: text("short_name", &body.short_name, plain),
        region: text("region", &body.region, plain),
        municipality: text("municipality", &body.municipality, plain),
        address: text("address", &body.address, plain),
        phone: text("phone", &body.phone, |phone| {
            api::phone::normalize(phone).ok_or(FieldProblem::InvalidCharacters)
        }),
        email: text("email", &body.email, email),
        website: text("website", &body.website, web_address),
        journal_url: text("journal_url", &body.journal_url, web_address),
        // Not changed here: the logo has its own endpoints.
        logo: None,
    };
    if problems.is_empty() { Ok(info) } else { Err(problems) }
}

/// An e-mail address as people write one: `name@domain.tld`, no spaces.
fn email(value: &str) -> Result<String, FieldProblem> {
    let (local, domain) = value.split_once('@').ok_or(FieldProblem::InvalidCharacters)?;
    let looks_right =
        !local.is_empty() && !value.chars().any(char::is_whitespace) && !domain.contains('@') && host(domain);
    if looks_right { Ok(value.to_string()) } else { Err(FieldProblem::InvalidCharacters) }
}

/// An `http(s)://` address, or a bare domain («school7.ru/journal»), which gets `https://`. Any other
/// scheme (`javascript:`, `data:`, `ftp://`…) is refused: the app puts the address in a link.
fn web_address(value: &str) -> Result<String, FieldProblem> {
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldProblem::InvalidCharacters);
    }
    let (scheme, rest, bare) = match value.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest, false),
        None => ("https".to_string(), value, true),
    };
    if scheme != "http" && scheme != "https" {
        return Err(FieldProblem::NotAllowed);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_name = match authority.rsplit_once(':') {
        Some((host_name, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => host_name,
        _ => authority,
    };
    if !host(host_name) {
        // «javascript:alert(1)» has no `://` and so reads as a host with a colon in it.
        return Err(if bare && value.contains(':') {
            FieldProblem::NotAllowed
        } else {
            FieldProblem::InvalidCharacters
        });
    }
    Ok(format!("{scheme}://{rest}"))
}

/// A domain name: dot-separated labels of letters (any script: «школа7.рф»), digits and inner hyphens,
/// the last one letters only.
fn host(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}

/// `?action=&actor_id=&subject_id=&before=` of the audit log.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action (`AuditAction`, e.g. `class_renamed`).
    action: Option<String>,
    /// Only what this person did.
    actor_id: Option<i64>,
    /// Only what was done to this person.
    subject_id: Option<i64>,
    /// Only entries older than this entry id (`next_before` of the previous page).
    before: Option<i64>,
}

/// The school's audit log, newest first, 50 entries a page (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/audit",
    tag = "school administration",
    params(("school_id" = i64, Path, description = "School id"), AuditQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "A page of entries, newest first", body = AuditPage),
        (status = 400, description = "`bad_request`: a bad id or filter, or an `action` that is not an `AuditAction`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: not an administrator", body = ApiError),
        (status = 404, description = "`not_found`: no such school, or the person is not a member", body = ApiError),
    ),
)]
pub async fn audit_log(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Query(query): extract::Query<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    Standing::load(&state.db, school_id, session.user_id).await?.require_admin()?;
    let action = match query.action.as_deref().map(str::trim).filter(|action| !action.is_empty()) {
        Some(action) => Some(
            AuditAction::parse(action)
                .ok_or_else(|| AppError::BadRequest(format!("no audit action is called «{action}»")))?,
        ),
        None => None,
    };
    // One more than a page tells whether an older page exists.
    let filter = audit::AuditFilter {
        action,
        actor_id: query.actor_id,
        subject_id: query.subject_id,
        before: query.before,
        limit: Some(AUDIT_PAGE + 1),
    };
    let mut entries = audit::audit_entries(&state.db, school_id, filter).await?;
    let more = entries.len() > AUDIT_PAGE as usize;
    entries.truncate(AUDIT_PAGE as usize);
    let next_before = more.then(|| entries.last().map(|entry| entry.id)).flatten();
    Ok(Json(AuditPage { entries, next_before }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        assert_eq!(web_address("school7.ru").unwrap(), "https://school7.ru");
        assert_eq!(web_address("http://school7.ru/a?b#c").unwrap(), "http://school7.ru/a?b#c");
        assert_eq!(web_address("HTTPS://dnevnik.ru:8443/x").unwrap(), "https://dnevnik.ru:8443/x");
        assert_eq!(web_address("школа7.рф").unwrap(), "https://школа7.рф");
        assert_eq!(web_address("javascript:alert(1)"), Err(FieldProblem::NotAllowed));
        assert_eq!(web_address("javascript://school7.ru/%0aalert(1)"), Err(FieldProblem::NotAllowed));
        assert_eq!(web_address("ftp://school7.ru"), Err(FieldProblem::NotAllowed));
        assert_eq!(web_address("data:text/html,hi"), Err(FieldProblem::NotAllowed));
        assert_eq!(web_address("школа"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(web_address("https://"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(web_address("a b.ru"), Err(FieldProblem::InvalidCharacters));
    }

    #[test]
    fn emails() {
        assert_eq!(email("school7@mail.ru").unwrap(), "school7@mail.ru");
        assert_eq!(email("school7"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(email("@mail.ru"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(email("a@b@mail.ru"), Err(FieldProblem::InvalidCharacters));
        assert_eq!(email("a@mail"), Err(FieldProblem::InvalidCharacters));
    }
}

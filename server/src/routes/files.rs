//! Files: uploading one (the request body is the file), downloading it, and «Мои файлы». Sending a
//! file is sending a message with `attachments` ([`super::messages::send`]).

use std::path::{Path, PathBuf};

use api::{ApiError, FILE_MAX_BYTES, FieldProblem, FileInfo, MyFiles};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::Deserialize;
use sqlx::{SqliteConnection, SqlitePool};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::auth::rate_limit::{Action, Limit};
use crate::auth::session::Session;
use crate::db;
use crate::error::AppError;
use crate::extract;
use crate::files::{self, FileRow, Kind, PictureError, SIGNATURE_BYTES, Utf8Check};

/// The header naming an uploaded file, percent-encoded UTF-8.
pub const FILE_NAME_HEADER: &str = "x-file-name";

/// What a downloaded file may do when opened in a tab: nothing (no scripts, no requests, no forms).
const DOWNLOAD_CSP: &str = "default-src 'none'; sandbox";
/// A file never changes under its id: the browser may keep it (for this person only).
const DOWNLOAD_CACHE: &str = "private, max-age=31536000, immutable";
/// Uploads per person per 10 minutes: a teacher's album of an outing, sent ten photos a message, and
/// not a loop filling the disk and the decoders.
const UPLOADS: Limit = Limit { max: 100, window_seconds: 600 };
/// What a picture that found no decoder in time (`Config::picture_wait`) is told: a few pictures' time.
const DECODE_RETRY_AFTER_SECONDS: u32 = 5;

#[derive(Debug, Default, Deserialize)]
pub struct UploadOptions {
    /// Put the file in «Мои файлы».
    #[serde(default)]
    keep: bool,
}

/// Uploads a file: the body is its content, `Content-Type` its type as the browser sees it, and
/// `X-File-Name` its name, percent-encoded UTF-8. The server settles the type itself: the name's
/// extension must be one of `ALLOWED_EXTENSIONS` and the content must start as such a file does
/// (text must be UTF-8). Images get their size read and a small copy made: one of more than
/// `IMAGE_MAX_PIXELS` is refused from its header, before it is decoded, and only a few are decoded at
/// once (the rest wait, for a while). A school's logo is such an upload's small copy.
///
/// Only members of a school upload, at most 100 files per 10 minutes each.
///
/// Without `keep` the file waits to be sent with a message (by its owner only) and is removed if it
/// is not within a day; with `keep=true` it goes to «Мои файлы», within `STORAGE_MAX_BYTES`.
#[utoipa::path(
    post,
    path = "/api/v1/files",
    tag = "files",
    params(
        ("keep" = Option<bool>, Query, description = "Put the file in «Мои файлы»"),
        ("X-File-Name" = String, Header, description = "The file's name, percent-encoded UTF-8; path parts and control characters are dropped, and it is cut to 200 characters keeping the extension"),
    ),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's content, at most `FILE_MAX_BYTES`"),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The file was stored", body = FileInfo),
        (status = 400, description = "`bad_request`: a bad query, or the upload broke off", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`; `child_not_confirmed`: a young student whom no parent confirmed yet; `forbidden`: the person is a member of no school", body = ApiError),
        (status = 413, description = "`file_too_large`: more than `FILE_MAX_BYTES`; `storage_full`: «Мои файлы» has no room for it; `unsent_files_full`: the person's uploads not yet sent (nor kept) would pass `unsent_max_bytes` of the server (200 MB by default)", body = ApiError),
        (status = 415, description = "`file_type_not_allowed`: an extension not in `ALLOWED_EXTENSIONS`, or content that is not what the name says; `image_too_large`: a picture of more than `IMAGE_MAX_PIXELS`, or too large to decode", body = ApiError),
        (status = 422, description = "`validation`: `name` (`required`, `invalid_characters`: not percent-encoded UTF-8)", body = ApiError),
        (status = 429, description = "`rate_limited`: the person uploaded 100 files in the last 10 minutes",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "`server_busy`: the server's picture decoders stayed busy for 10 s; nothing was stored",
            body = ApiError, headers(("Retry-After" = u32, description = "Seconds to wait"))),
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    extract::Query(options): extract::Query<UploadOptions>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<FileInfo>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    require_school(&state.db, session.user_id).await?;
    let now = state.clock.unix();
    state
        .limiter
        .hit_person(Action::Upload, session.user_id, UPLOADS, now)
        .map_err(|retry_after_seconds| AppError::RateLimited { retry_after_seconds })?;
    let name = name_of(&headers)?;
    let kind = Kind::of_name(&name).ok_or(AppError::FileTypeNotAllowed)?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|size| size > FILE_MAX_BYTES) {
        return Err(AppError::FileTooLarge);
    }
    {
        let mut conn = state.db.acquire().await?;
        require_room(&mut conn, &state, session.user_id, options.keep, declared.unwrap_or(0)).await?;
    }

    let files_dir = state.config.files_dir();
    tokio::fs::create_dir_all(&files_dir).await?;
    let storage_key = files::new_storage_key();
    let mut written = Written::default();
    let upload_path = written.track(files_dir.join(format!(".upload-{storage_key}")));
    let size = receive(body, &upload_path, kind).await?;

    let picture = if kind.is_image() {
        let picture = read_picture(&state, &upload_path).await?;
        let thumbnail_path = written.track(files::thumbnail_path(&files_dir, &storage_key));
        tokio::fs::write(&thumbnail_path, &picture.thumbnail).await?;
        Some(picture)
    } else {
        None
    };
    let content_path = written.track(files::content_path(&files_dir, &storage_key));
    tokio::fs::rename(&upload_path, &content_path).await?;

    let mut tx = db::begin_write(&state.db).await?;
    require_room(&mut tx, &state, session.user_id, options.keep, size).await?;
    let row: FileRow = sqlx::query_as(
        "INSERT INTO files
             (owner_id, name, size, content_type, is_image, width, height, storage_key, kept, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id, name, size, content_type, is_image, width, height, created_at",
    )
    .bind(session.user_id)
    .bind(&name)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(kind.content_type)
    .bind(kind.is_image())
    .bind(picture.as_ref().map(|p| p.width))
    .bind(picture.as_ref().map(|p| p.height))
    .bind(&storage_key)
    .bind(options.keep)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    written.keep();
    Ok((StatusCode::CREATED, Json(row.info())))
}

/// `forbidden` unless the person belongs to a school: files go to a school's chats, and a person in
/// none has no one to send them to.
async fn require_school(db: &SqlitePool, user_id: i64) -> Result<(), AppError> {
    let member: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = ?)")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    if member { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The uploaded picture's size and small copy. Its header is read first, and a picture too large is
/// refused before anything is decoded; then it waits (at most `Config::picture_wait`) for one of the
/// server's decoders. The permit goes with the decoding thread, which finishes even when the client
/// has gone, so the decoders are never more than their permits.
async fn read_picture(state: &AppState, path: &Path) -> Result<files::Picture, AppError> {
    let refused = |error| match error {
        PictureError::TooLarge => AppError::ImageTooLarge,
        PictureError::Unreadable => AppError::FileTypeNotAllowed,
    };
    let header = path.to_path_buf();
    tokio::task::spawn_blocking(move || files::check_picture(&header))
        .await
        .map_err(std::io::Error::other)?
        .map_err(refused)?;
    let permit = tokio::time::timeout(state.config.picture_wait, state.decodes.clone().acquire_owned())
        .await
        .map_err(|_| AppError::ServerBusy { retry_after_seconds: DECODE_RETRY_AFTER_SECONDS })?
        .map_err(std::io::Error::other)?;
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let _decoding = permit;
        files::read_picture(&path)
    })
    .await
    .map_err(std::io::Error::other)?
    .map_err(refused)
}

/// The cleaned name from `X-File-Name`. A browser's `fetch` cannot send a header value outside
/// Latin-1, hence percent-encoding; raw UTF-8 bytes from another client are taken as well.
fn name_of(headers: &HeaderMap) -> Result<String, AppError> {
    let raw = headers.get(FILE_NAME_HEADER).map(HeaderValue::as_bytes).unwrap_or_default();
    let decoded = percent_encoding::percent_decode(raw)
        .decode_utf8()
        .map_err(|_| AppError::Validation(vec![field("name", FieldProblem::InvalidCharacters)]))?;
    let name = files::clean_name(&decoded);
    if name.is_empty() {
        return Err(AppError::Validation(vec![field("name", FieldProblem::Required)]));
    }
    Ok(name)
}

/// `storage_full` unless `size` more bytes fit in the person's «Мои файлы» (`keep`), or
/// `unsent_files_full` unless they fit beside the person's uploads waiting to be sent: those are
/// removed after a day, but one account must not fill the disk within it.
async fn require_room(
    conn: &mut SqliteConnection,
    state: &AppState,
    user_id: i64,
    keep: bool,
    size: u64,
) -> Result<(), AppError> {
    if keep {
        let used = used_bytes(conn, user_id).await?;
        if used.saturating_add(size) > state.config.storage_max_bytes {
            return Err(AppError::StorageFull);
        }
    } else {
        let waiting = unsent_bytes(conn, user_id).await?;
        if waiting.saturating_add(size) > state.config.unsent_max_bytes {
            return Err(AppError::UnsentFilesFull);
        }
    }
    Ok(())
}

async fn used_bytes(conn: &mut SqliteConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    let used: i64 = sqlx::query_scalar("SELECT IFNULL(SUM(size), 0) FROM files WHERE owner_id = ? AND kept")
        .bind(user_id)
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(used).unwrap_or(0))
}

/// Bytes of the person's uploads neither kept nor sent (until housekeeping removes them).
async fn unsent_bytes(conn: &mut SqliteConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT IFNULL(SUM(size), 0) FROM files
         WHERE owner_id = ? AND NOT kept AND NOT EXISTS (SELECT 1 FROM message_files WHERE file_id = files.id)",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(waiting).unwrap_or(0))
}

/// Writes the body to `path` as it arrives, never holding more than a piece of it, and checks it on
/// the way: at most `FILE_MAX_BYTES`, and content that is what `kind` says. Returns its size.
///
/// The API's `DefaultBodyLimit` does not apply: it limits extractors that collect a body (JSON), and
/// this one is read as a stream, counted here.
async fn receive(body: Body, path: &Path, kind: Kind) -> Result<u64, AppError> {
    let mut body = body;
    let mut file = tokio::fs::File::create(path).await?;
    let mut size: u64 = 0;
    let mut head = Vec::with_capacity(SIGNATURE_BYTES);
    let mut text = kind.is_text().then(Utf8Check::default);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| AppError::BadRequest("the upload broke off".into()))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        size += data.len() as u64;
        if size > FILE_MAX_BYTES {
            return Err(AppError::FileTooLarge);
        }
        if head.len() < SIGNATURE_BYTES {
            let missing = SIGNATURE_BYTES - head.len();
            head.extend_from_slice(&data[..missing.min(data.len())]);
            if head.len() == SIGNATURE_BYTES && !kind.matches(&head) {
                return Err(AppError::FileTypeNotAllowed);
            }
        }
        if let Some(text) = &mut text {
            text.feed(&data);
        }
        file.write_all(&data).await?;
    }
    if !kind.matches(&head) || text.is_some_and(|text| !text.is_valid()) {
        return Err(AppError::FileTypeNotAllowed);
    }
    file.sync_all().await?;
    Ok(size)
}

/// Files written for an upload: removed when it fails (or its client goes away) before its row is
/// committed.
#[derive(Default)]
struct Written(Vec<PathBuf>);

impl Written {
    fn track(&mut self, path: PathBuf) -> PathBuf {
        self.0.push(path.clone());
        path
    }

    fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for Written {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DownloadOptions {
    /// `thumb`: an image's small copy.
    size: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Stored {
    name: String,
    content_type: String,
    is_image: bool,
    storage_key: String,
}

/// Downloads a file: its owner may, and every member of a chat where a message that is not deleted
/// carries it. Anyone else gets `not_found`, as for a file that does not exist. The name in the path
/// is for the browser; only the id counts.
///
/// Answers with the type the server settled on at upload, `Content-Disposition: attachment` (`inline`
/// for images), `nosniff`, a CSP that lets nothing run, and a private cache that may keep it for good.
/// `size=thumb` gives an image's copy of at most 480 px (JPEG, or PNG when it has transparency); for
/// other files it is ignored.
#[utoipa::path(
    get,
    path = "/api/v1/files/{id}/{name}",
    tag = "files",
    params(
        ("id" = i64, Path, description = "File id"),
        ("name" = String, Path, description = "The file's name (any: it is not looked at)"),
        ("size" = Option<String>, Query, description = "`thumb`: an image's small copy"),
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "The file's content, with its type", content_type = "application/octet-stream"),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such file, or the person may not see it", body = ApiError),
    ),
)]
pub async fn download(
    State(state): State<AppState>,
    session: Session,
    extract::Path((id, _name)): extract::Path<(i64, String)>,
    extract::Query(options): extract::Query<DownloadOptions>,
) -> Result<Response, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let stored: Stored = sqlx::query_as(
        "SELECT f.name, f.content_type, f.is_image, f.storage_key FROM files f
         WHERE f.id = ?1 AND (f.owner_id = ?2 OR EXISTS (
             SELECT 1 FROM message_files mf
             JOIN messages m ON m.id = mf.message_id AND m.deleted_at IS NULL
             JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = ?2
             WHERE mf.file_id = f.id))",
    )
    .bind(id)
    .bind(session.user_id)
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;

    let files_dir = state.config.files_dir();
    let disposition = if stored.is_image { "inline" } else { "attachment" };
    let disposition = format!("{disposition}; filename*=UTF-8''{}", files::percent_encode(&stored.name));
    let (content_type, length, body) = if stored.is_image && options.size.as_deref() == Some("thumb") {
        let thumbnail = tokio::fs::read(files::thumbnail_path(&files_dir, &stored.storage_key))
            .await
            .map_err(|error| missing(id, error))?;
        (files::thumbnail_content_type(&thumbnail).to_string(), thumbnail.len() as u64, Body::from(thumbnail))
    } else {
        let file = tokio::fs::File::open(files::content_path(&files_dir, &stored.storage_key))
            .await
            .map_err(|error| missing(id, error))?;
        let length = file.metadata().await?.len();
        (stored.content_type, length, Body::from_stream(ReaderStream::new(file)))
    };

    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_str(&content_type).map_err(std::io::Error::other)?),
        (header::CONTENT_LENGTH, HeaderValue::from(length)),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(std::io::Error::other)?),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CACHE_CONTROL, HeaderValue::from_static(DOWNLOAD_CACHE)),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOWNLOAD_CSP)),
    ];
    Ok((headers, body).into_response())
}

/// A file whose row exists but whose content is gone is the operator's problem: logged, and a 404 to
/// the person, as nothing can be downloaded.
fn missing(id: i64, error: std::io::Error) -> AppError {
    if error.kind() == std::io::ErrorKind::NotFound {
        tracing::error!(file_id = id, "a file's content is missing from the files directory");
        AppError::NotFound
    } else {
        AppError::Storage(error)
    }
}

/// «Мои файлы»: the files the person keeps, newest first, and how many bytes they take.
#[utoipa::path(
    get,
    path = "/api/v1/me/files",
    operation_id = "my_files",
    tag = "files",
    security(("session" = [])),
    responses(
        (status = 200, description = "The person's kept files", body = MyFiles),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
    ),
)]
pub async fn mine(State(state): State<AppState>, session: Session) -> Result<Json<MyFiles>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    let rows: Vec<FileRow> = sqlx::query_as(&format!(
        "SELECT {} FROM files f WHERE f.owner_id = ? AND f.kept ORDER BY f.created_at DESC, f.id DESC",
        files::COLUMNS
    ))
    .bind(session.user_id)
    .fetch_all(&mut *conn)
    .await?;
    let used_bytes = used_bytes(&mut conn, session.user_id).await?;
    Ok(Json(MyFiles { files: rows.into_iter().map(FileRow::info).collect(), used_bytes }))
}

/// Takes a file out of «Мои файлы» (or drops an upload waiting to be sent). A file that messages
/// carry stays downloadable for their chats; any other is removed for good.
#[utoipa::path(
    delete,
    path = "/api/v1/me/files/{id}",
    tag = "files",
    params(("id" = i64, Path, description = "File id")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "The file is no longer kept"),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`csrf_rejected`, `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such file of the person's", body = ApiError),
    ),
)]
pub async fn forget(
    State(state): State<AppState>,
    session: Session,
    extract::Path(id): extract::Path<i64>,
) -> Result<StatusCode, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut tx = db::begin_write(&state.db).await?;
    let (storage_key, sent): (String, bool) = sqlx::query_as(
        "SELECT storage_key, EXISTS (SELECT 1 FROM message_files WHERE file_id = files.id)
         FROM files WHERE id = ? AND owner_id = ?",
    )
    .bind(id)
    .bind(session.user_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if sent {
        sqlx::query("UPDATE files SET kept = 0 WHERE id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
    } else {
        sqlx::query("DELETE FROM files WHERE id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        files::remove_content(&state.config.files_dir(), &[storage_key]).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

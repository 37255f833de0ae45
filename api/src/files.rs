//! Files: attached to messages, or kept in a person's own storage («Мои файлы»).
//!
//! Uploading is one request whose body is the file itself (not a form), so that a browser can report
//! its progress and cancel it: `POST /api/v1/files` with `Content-Type` the file's type and
//! `X-File-Name` its name, percent-encoded (UTF-8). `?keep=true` puts it in «Мои файлы»; otherwise it
//! is an attachment waiting to be sent (one not sent within a day is removed). The answer is the
//! [`FileInfo`] (201). Only the uploader may attach a file to a message; once sent, every member of
//! that chat may download it.

use serde::{Deserialize, Serialize};

/// The largest file, in bytes (20 MB).
pub const FILE_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most a person may keep in «Мои файлы», in bytes (500 MB).
pub const STORAGE_MAX_BYTES: u64 = 500 * 1024 * 1024;
/// The most files one message carries.
pub const MESSAGE_MAX_ATTACHMENTS: usize = 10;
/// The most pixels a picture may have (40 megapixels: more than a phone's photo, which the app redraws
/// to at most 2560 px anyway). A larger one is refused with `image_too_large` before it is decoded.
pub const IMAGE_MAX_PIXELS: u64 = 40_000_000;

/// The kinds of file Parta takes, by extension; the server also checks the content's first bytes.
/// Images are shown in the timeline; everything else is downloaded with its name. Nothing a browser
/// would run (html, svg, scripts, programs) is taken.
pub const ALLOWED_EXTENSIONS: [&str; 20] = [
    "jpg", "jpeg", "png", "gif", "webp", "pdf", "txt", "rtf", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
    "odt", "ods", "odp", "csv", "zip", "mp3",
];

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FileInfo {
    pub id: i64,
    /// As the uploader named it (path parts and control characters removed).
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// The type the server settled on (from the content, not only the name).
    pub content_type: String,
    /// A picture (jpeg, png, gif, webp): shown in the timeline.
    pub is_image: bool,
    /// Pixels, for images whose size the server could read; lets the app reserve the space.
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    /// RFC 3339.
    pub created_at: String,
    /// Where to download it (a path under the API's origin): `/api/v1/files/{id}/{name}`. Answers with
    /// `Content-Disposition: attachment` (images: `inline`) and the file's type.
    pub url: String,
    /// For images: a copy at most 480 px on its longer side (`…?size=thumb`), for the timeline.
    #[serde(default)]
    pub thumbnail_url: Option<String>,
}

/// `GET /api/v1/me/files`: «Мои файлы», newest first, with how much room is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MyFiles {
    pub files: Vec<FileInfo>,
    /// Bytes kept, of [`STORAGE_MAX_BYTES`].
    pub used_bytes: u64,
}

//! Files people upload ([`api::FileInfo`]): which kinds are taken (by name and by content), where
//! their content lives on disk, who may download them, and when an unsent one is removed.
//!
//! The content of a file is `<data-dir>/files/<storage_key>`, a random name (never the uploader's);
//! an image also has `<storage_key>.thumb`, its copy of at most [`THUMB_MAX_SIDE`] px made at upload.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use api::FileInfo;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sqlx::{SqliteConnection, SqlitePool};

use crate::clock::rfc3339;

/// The longer side of an image's small copy, in pixels.
pub const THUMB_MAX_SIDE: u32 = 480;
/// The longest name kept, in characters (the extension always survives the cut).
pub const NAME_MAX_CHARS: usize = 200;
/// How long an upload that is neither kept nor sent waits for its message.
pub const UNSENT_MAX_AGE_SECONDS: i64 = 24 * 3600;
/// How many first bytes decide whether the content is what its name says.
pub const SIGNATURE_BYTES: usize = 12;

/// The longest side of an image: a panorama from a phone, not a strip a few pixels wide.
const IMAGE_MAX_SIDE: u32 = 16_384;
/// What decoding one image may allocate: a picture of [`api::IMAGE_MAX_PIXELS`] takes 120 MB as RGB and
/// 160 MB with transparency; pictures of 16 bits a channel that big are refused.
const IMAGE_MAX_ALLOC: u64 = 160 * 1024 * 1024;

/// What a file's first bytes must look like for its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signature {
    Jpeg,
    Png,
    Gif,
    Webp,
    Pdf,
    /// Office Open XML, OpenDocument and zip archives.
    Zip,
    /// The compound file of old Office documents (doc, xls, ppt).
    Ole,
    Mp3,
    /// Any valid UTF-8.
    Text,
    /// Valid UTF-8 starting with `{\rtf`.
    Rtf,
}

/// A kind of file Parta takes: what its extension promises and the type it is served with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub content_type: &'static str,
    signature: Signature,
}

impl Kind {
    /// The kind a name's extension (any case) stands for; `None` when Parta does not take it.
    pub fn of_name(name: &str) -> Option<Kind> {
        let (_, extension) = name.rsplit_once('.')?;
        let (content_type, signature) = match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => ("image/jpeg", Signature::Jpeg),
            "png" => ("image/png", Signature::Png),
            "gif" => ("image/gif", Signature::Gif),
            "webp" => ("image/webp", Signature::Webp),
            "pdf" => ("application/pdf", Signature::Pdf),
            "txt" => ("text/plain; charset=utf-8", Signature::Text),
            "csv" => ("text/csv; charset=utf-8", Signature::Text),
            "rtf" => ("application/rtf", Signature::Rtf),
            "doc" => ("application/msword", Signature::Ole),
            "xls" => ("application/vnd.ms-excel", Signature::Ole),
            "ppt" => ("application/vnd.ms-powerpoint", Signature::Ole),
            "docx" => {
                ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Signature::Zip)
            }
            "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Signature::Zip),
            "pptx" => {
                ("application/vnd.openxmlformats-officedocument.presentationml.presentation", Signature::Zip)
            }
            "odt" => ("application/vnd.oasis.opendocument.text", Signature::Zip),
            "ods" => ("application/vnd.oasis.opendocument.spreadsheet", Signature::Zip),
            "odp" => ("application/vnd.oasis.opendocument.presentation", Signature::Zip),
            "zip" => ("application/zip", Signature::Zip),
            "mp3" => ("audio/mpeg", Signature::Mp3),
            _ => return None,
        };
        Some(Kind { content_type, signature })
    }

    /// A picture the timeline shows (and makes a small copy of).
    pub fn is_image(self) -> bool {
        matches!(self.signature, Signature::Jpeg | Signature::Png | Signature::Gif | Signature::Webp)
    }

    /// Whether the whole content must be valid UTF-8 ([`Utf8Check`]).
    pub fn is_text(self) -> bool {
        matches!(self.signature, Signature::Text | Signature::Rtf)
    }

    /// Whether the content's first bytes (up to [`SIGNATURE_BYTES`], fewer only for a shorter file)
    /// are those of this kind.
    pub fn matches(self, head: &[u8]) -> bool {
        match self.signature {
            Signature::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            Signature::Png => head.starts_with(&[0x89, b'P', b'N', b'G']),
            Signature::Gif => head.starts_with(b"GIF8"),
            Signature::Webp => head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"),
            Signature::Pdf => head.starts_with(b"%PDF"),
            Signature::Zip => head.starts_with(b"PK\x03\x04"),
            Signature::Ole => head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
            // An ID3 tag, or straight away an MPEG audio frame (11 bits of frame sync).
            Signature::Mp3 => {
                head.starts_with(b"ID3") || matches!(head, [0xFF, second, ..] if second & 0xE0 == 0xE0)
            }
            Signature::Text => true,
            Signature::Rtf => head.starts_with(b"{\\rtf"),
        }
    }
}

/// Checks that bytes arriving in pieces are valid UTF-8, without keeping them.
#[derive(Debug)]
pub struct Utf8Check {
    /// The start of a character cut by the end of the last piece.
    pending: Vec<u8>,
    valid: bool,
}

impl Default for Utf8Check {
    fn default() -> Self {
        Self { pending: Vec::new(), valid: true }
    }
}

impl Utf8Check {
    pub fn feed(&mut self, mut piece: &[u8]) {
        if !self.valid {
            return;
        }
        while !self.pending.is_empty() {
            let Some((&byte, rest)) = piece.split_first() else {
                return;
            };
            self.pending.push(byte);
            piece = rest;
            match std::str::from_utf8(&self.pending) {
                Ok(_) => self.pending.clear(),
                Err(error) if error.error_len().is_some() => {
                    self.valid = false;
                    return;
                }
                Err(_) => {}
            }
        }
        if let Err(error) = std::str::from_utf8(piece) {
            match error.error_len() {
                None => self.pending = piece[error.valid_up_to()..].to_vec(),
                Some(_) => self.valid = false,
            }
        }
    }

    /// Whether everything fed was valid UTF-8, ending with a whole character.
    pub fn is_valid(&self) -> bool {
        self.valid && self.pending.is_empty()
    }
}

/// The name as shown and offered for download: its last path part, cleaned as one line
/// ([`api::text::clean_line`]: no control or direction-changing characters, which could disguise an
/// extension), at most [`NAME_MAX_CHARS`] with its extension kept.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = api::text::clean_line(last);
    if name.chars().count() <= NAME_MAX_CHARS {
        return name;
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if extension.chars().count() < NAME_MAX_CHARS / 2 => (stem, Some(extension)),
        _ => (name.as_str(), None),
    };
    let room = NAME_MAX_CHARS - extension.map_or(0, |e| e.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    match extension {
        Some(extension) => format!("{}.{extension}", stem.trim_end()),
        None => stem,
    }
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded. Safe in a path segment
/// and in `filename*` (RFC 8187) alike.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// `/api/v1/files/{id}/{name}`: where the file is downloaded.
pub fn url(id: i64, name: &str) -> String {
    format!("{}/files/{id}/{}", api::API_PREFIX, percent_encode(name))
}

/// A new random name for a file's content on disk.
pub fn new_storage_key() -> String {
    rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the content of a file is.
pub fn content_path(files_dir: &Path, storage_key: &str) -> PathBuf {
    files_dir.join(storage_key)
}

/// Where the small copy of an image is.
pub fn thumbnail_path(files_dir: &Path, storage_key: &str) -> PathBuf {
    files_dir.join(format!("{storage_key}.thumb"))
}

/// A file as stored, the columns of [`COLUMNS`].
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub is_image: bool,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub created_at: i64,
}

/// SQL: the columns of [`FileRow`], of the table aliased `f`.
pub const COLUMNS: &str = "f.id, f.name, f.size, f.content_type, f.is_image, f.width, f.height, f.created_at";

impl FileRow {
    pub fn info(self) -> FileInfo {
        let url = url(self.id, &self.name);
        FileInfo {
            id: self.id,
            size: u64::try_from(self.size).unwrap_or(0),
            content_type: self.content_type,
            is_image: self.is_image,
            width: self.width.and_then(|w| u32::try_from(w).ok()),
            height: self.height.and_then(|h| u32::try_from(h).ok()),
            created_at: rfc3339(self.created_at),
            thumbnail_url: self.is_image.then(|| format!("{url}?size=thumb")),
            url,
            name: self.name,
        }
    }
}

/// The files of the messages `first..=last` of the chat, by message id, in the order attached.
pub async fn of_messages(
    conn: &mut SqliteConnection,
    chat_id: i64,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<FileInfo>>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        message_id: i64,
        #[sqlx(flatten)]
        file: FileRow,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT mf.message_id, {COLUMNS}
         FROM message_files mf JOIN files f ON f.id = mf.file_id JOIN messages m ON m.id = mf.message_id
         WHERE mf.message_id BETWEEN ?2 AND ?3 AND m.chat_id = ?1
         ORDER BY mf.message_id, mf.position"
    ))
    .bind(chat_id)
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?;
    let mut files: HashMap<i64, Vec<FileInfo>> = HashMap::new();
    for row in rows {
        files.entry(row.message_id).or_default().push(row.file.info());
    }
    Ok(files)
}

/// SQL: the columns of [`crate::timeline::FilesPreview`] (`file_count`, the first one's `file_name`,
/// `files_are_images`) for the files of the message `message` (an SQL alias), for a one-line preview.
pub fn preview_columns(message: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM message_files WHERE message_id = {message}.id) AS file_count,
         (SELECT f.name FROM message_files mf JOIN files f ON f.id = mf.file_id
          WHERE mf.message_id = {message}.id ORDER BY mf.position LIMIT 1) AS file_name,
         (SELECT MIN(f.is_image) FROM message_files mf JOIN files f ON f.id = mf.file_id
          WHERE mf.message_id = {message}.id) AS files_are_images"
    )
}

/// What an uploaded image is, read from its content.
#[derive(Debug)]
pub struct Picture {
    /// As shown: after the turn its camera recorded (EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// A JPEG, or a PNG for an image with transparency, at most [`THUMB_MAX_SIDE`] on its longer side.
    pub thumbnail: Vec<u8>,
}

/// Why an upload named as a picture is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PictureError {
    /// More pixels than [`api::IMAGE_MAX_PIXELS`], or more memory to decode than [`IMAGE_MAX_ALLOC`]:
    /// a 250 KB PNG can say it is 16000 × 16000 and take 250 MB once decoded.
    TooLarge,
    /// Not a picture Parta can read.
    Unreadable,
}

impl From<image::ImageError> for PictureError {
    fn from(error: image::ImageError) -> Self {
        match error {
            image::ImageError::Limits(_) => PictureError::TooLarge,
            error => {
                tracing::debug!(%error, "an upload is not a readable image");
                PictureError::Unreadable
            }
        }
    }
}

/// Opens the image in the file and reads its header (a JPEG's decoder reads the whole file, at most
/// `FILE_MAX_BYTES`): a picture of more pixels than [`api::IMAGE_MAX_PIXELS`] is refused before
/// anything of it is decoded.
fn decoder(path: &Path) -> Result<impl ImageDecoder, PictureError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(IMAGE_MAX_SIDE);
    limits.max_image_height = Some(IMAGE_MAX_SIDE);
    limits.max_alloc = Some(IMAGE_MAX_ALLOC);
    let mut reader = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .map_err(image::ImageError::IoError)?;
    reader.limits(limits);
    let decoder = reader.into_decoder()?;
    let (width, height) = decoder.dimensions();
    if too_many_pixels(width, height) {
        return Err(PictureError::TooLarge);
    }
    Ok(decoder)
}

/// How much of a file the first look at a picture reads: a PNG's, GIF's or WebP's header is at its
/// start, a JPEG's behind the camera's data (blocks of at most 64 KB, seldom more than two).
const HEADER_BYTES: u64 = 256 * 1024;

/// Reads the start of the file only and refuses a picture whose header says it is too large, before
/// anything is decoded and without holding more than [`HEADER_BYTES`] (a JPEG decoder reads its
/// whole file first). A header it does not find there, [`read_picture`] checks again. Blocking.
pub fn check_picture(path: &Path) -> Result<(), PictureError> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(HEADER_BYTES).read_to_end(&mut head))
        .map_err(image::ImageError::IoError)?;
    let size = ImageReader::new(Cursor::new(head))
        .with_guessed_format()
        .ok()
        .and_then(|reader| reader.into_dimensions().ok());
    match size {
        Some((width, height)) if too_many_pixels(width, height) => Err(PictureError::TooLarge),
        _ => Ok(()),
    }
}

fn too_many_pixels(width: u32, height: u32) -> bool {
    u64::from(width) * u64::from(height) > api::IMAGE_MAX_PIXELS
}

/// Decodes the image in the file, within [`IMAGE_MAX_ALLOC`] and after [`check_picture`]'s check
/// (again), and makes its small copy. Blocking and CPU-bound: call it on a blocking thread, a few at a
/// time (`AppState::decodes`).
pub fn read_picture(path: &Path) -> Result<Picture, PictureError> {
    let mut decoder = decoder(path)?;
    let orientation = decoder.orientation()?;
    let (width, height, mut small) = {
        let image = DynamicImage::from_decoder(decoder)?;
        let (width, height) = (image.width(), image.height());
        let small = if width.max(height) > THUMB_MAX_SIDE {
            image.thumbnail(THUMB_MAX_SIDE, THUMB_MAX_SIDE)
        } else {
            image
        };
        (width, height, small)
    };
    // Turned once small: turning the whole picture would take as much memory again.
    small.apply_orientation(orientation);
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned { (height, width) } else { (width, height) };
    let mut thumbnail = Vec::new();
    if small.color().has_alpha() {
        small.write_to(&mut Cursor::new(&mut thumbnail), ImageFormat::Png)?;
    } else {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut thumbnail, 80)
            .encode_image(&small.to_rgb8())?;
    }
    Ok(Picture { width, height, thumbnail })
}

/// The type of an image's small copy, from its first bytes.
pub fn thumbnail_content_type(thumbnail: &[u8]) -> &'static str {
    if thumbnail.starts_with(&[0x89, b'P', b'N', b'G']) { "image/png" } else { "image/jpeg" }
}

/// Removes the content (and small copy) of files whose rows are gone; a failure is only logged, as the
/// rows no longer point at it.
pub async fn remove_content(files_dir: &Path, storage_keys: &[String]) {
    for key in storage_keys {
        for path in [content_path(files_dir, key), thumbnail_path(files_dir, key)] {
            match tokio::fs::remove_file(&path).await {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => {
                    tracing::warn!(path = %path.display(), %error, "cannot remove a file's content")
                }
            }
        }
    }
}

/// Removes uploads that were neither kept nor sent within [`UNSENT_MAX_AGE_SECONDS`]: rows and content.
/// Returns how many.
pub async fn prune(pool: &SqlitePool, files_dir: &Path, now: i64) -> Result<usize, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let keys: Vec<String> = sqlx::query_scalar(
        "DELETE FROM files
         WHERE kept = 0 AND created_at < ? AND NOT EXISTS (SELECT 1 FROM message_files WHERE file_id = files.id)
         RETURNING storage_key",
    )
    .bind(now - UNSENT_MAX_AGE_SECONDS)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    remove_content(files_dir, &keys).await;
    Ok(keys.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allowed_extension_has_a_kind() {
        for extension in api::ALLOWED_EXTENSIONS {
            assert!(Kind::of_name(&format!("файл.{}", extension.to_uppercase())).is_some(), "{extension}");
        }
        for name in ["page.html", "logo.svg", "run.exe", "script.js", "pdf", "archive.tar.gz", "noext"] {
            assert_eq!(Kind::of_name(name), None, "{name}");
        }
    }

    #[test]
    fn content_must_match_the_extension() {
        let kind = |name| Kind::of_name(name).unwrap();
        assert!(kind("a.png").matches(b"\x89PNG\r\n\x1a\n\0\0\0\r"));
        assert!(!kind("a.pdf").matches(b"\x89PNG\r\n\x1a\n\0\0\0\r"));
        assert!(!kind("a.jpg").matches(b"<html><body>"));
        assert!(kind("a.webp").matches(b"RIFF\x10\0\0\0WEBP"));
        assert!(!kind("a.webp").matches(b"RIFF\x10\0\0\0WAVE"));
        assert!(kind("a.docx").matches(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0"));
        assert!(kind("a.xls").matches(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));
        assert!(kind("a.mp3").matches(b"ID3\x04\0\0"));
        assert!(kind("a.mp3").matches(&[0xFF, 0xFB, 0x90, 0x64]));
        assert!(!kind("a.mp3").matches(b"OggS"));
        assert!(kind("a.rtf").matches(b"{\\rtf1\\ansi"));
        assert!(!kind("a.rtf").matches(b"<script>"));
        assert!(kind("a.txt").is_text() && kind("a.png").is_image() && !kind("a.pdf").is_image());
    }

    #[test]
    fn utf8_is_checked_across_pieces() {
        let text = "Родительское собрание во вторник".as_bytes();
        for cut in 0..text.len() {
            let mut check = Utf8Check::default();
            check.feed(&text[..cut]);
            check.feed(&text[cut..]);
            assert!(check.is_valid(), "cut at {cut}");
        }
        let mut cut_short = Utf8Check::default();
        cut_short.feed(&text[..1]);
        assert!(!cut_short.is_valid());
        let mut latin1 = Utf8Check::default();
        latin1.feed(b"caf\xe9 au lait");
        assert!(!latin1.is_valid());
    }

    #[test]
    fn names_lose_paths_and_tricks_but_keep_their_extension() {
        assert_eq!(clean_name("C:\\Users\\Мария\\Расписание.pdf"), "Расписание.pdf");
        assert_eq!(clean_name("../../etc/passwd.txt"), "passwd.txt");
        assert_eq!(clean_name(" отчёт\n\t.docx "), "отчёт .docx");
        assert_eq!(clean_name("photo\u{202E}gpj.exe.png"), "photogpj.exe.png");
        let long = clean_name(&format!("{}.pdf", "я".repeat(500)));
        assert_eq!(long.chars().count(), NAME_MAX_CHARS);
        assert!(long.ends_with("я.pdf"));
    }

    #[test]
    fn a_turned_photo_is_measured_as_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        let picture = image::RgbImage::from_pixel(600, 200, image::Rgb([200, 120, 40]));
        let mut encoder = image::codecs::jpeg::JpegEncoder::new(std::fs::File::create(&path).unwrap());
        // A minimal TIFF block: one entry, orientation (0x0112) = 6, «turn 90° clockwise to show».
        let exif = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
        image::ImageEncoder::set_exif_metadata(&mut encoder, exif.to_vec()).unwrap();
        encoder.encode_image(&picture).unwrap();
        let read = read_picture(&path).unwrap();
        assert_eq!((read.width, read.height), (200, 600));
        let small = image::load_from_memory(&read.thumbnail).unwrap();
        assert_eq!((small.width(), small.height()), (160, 480));
    }

    #[test]
    fn urls_encode_the_name() {
        assert_eq!(
            url(7, "Расписание 5А.pdf"),
            "/api/v1/files/7/%D0%A0%D0%B0%D1%81%D0%BF%D0%B8%D1%81%D0%B0%D0%BD%D0%B8%D0%B5%205%D0%90.pdf"
        );
        assert_eq!(url(7, "a/b?#.txt"), "/api/v1/files/7/a%2Fb%3F%23.txt");
    }
}

//! Settings of a running server (from the command line or `PARTA_*` variables).

use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_HEARTBEAT_SECONDS: u32 = 25;
pub const DEFAULT_IP_CODE_LIMIT: u32 = 20;
pub const DEFAULT_IP_SIGN_IN_LIMIT: u32 = 50;
/// Bytes of uploads waiting to be sent each person may have: a day's worth of photos for a message
/// or two, and not a whole disk.
pub const DEFAULT_UNSENT_MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Long enough for a queue of a dozen photos to pass the decoders, short of a browser giving up.
pub const DEFAULT_PICTURE_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug)]
pub struct Config {
    /// The built web app (`trunk build` output).
    pub dist: PathBuf,
    /// Where the database lives, and uploaded files under `files/`.
    pub data_dir: PathBuf,
    /// The origin people open, e.g. `https://parta.school.example`; when absent the server trusts
    /// `http://<Host header>` as its own origin.
    pub public_url: Option<String>,
    /// `http://<the address the server listens on>`, the origin of links the server writes itself
    /// (into e-mails) when `public_url` is not set.
    pub listen_url: Option<String>,
    /// Other origins allowed to call the API with credentials (an app hosted elsewhere).
    pub allowed_origins: Vec<String>,
    /// Keep the last code per number in memory and offer `GET /api/v1/dev/outbox`.
    pub dev_outbox: bool,
    pub heartbeat_seconds: u32,
    /// Code requests allowed per client address per 10 minutes.
    pub ip_code_limit: u32,
    /// Sign-in attempts (right or wrong codes) allowed per client address per 10 minutes. A school
    /// behind one NAT address signs in many people at a parents' meeting; an end-to-end run signs in
    /// hundreds from 127.0.0.1.
    pub ip_sign_in_limit: u32,
    /// Bytes each person may keep in «Мои файлы»: the contract's [`api::STORAGE_MAX_BYTES`], which the
    /// app shows as the limit; lower only in tests.
    pub storage_max_bytes: u64,
    /// Bytes each person may have in uploads neither sent nor kept yet (they are removed after a
    /// day, `files::UNSENT_MAX_AGE_SECONDS`, but until then they take disk space).
    pub unsent_max_bytes: u64,
    /// Pictures decoded at once: each may take up to `files::IMAGE_MAX_ALLOC` of memory and a core.
    pub picture_decodes: usize,
    /// How long an upload waits for a decoder before it is answered `server_busy`.
    pub picture_wait: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            dist: PathBuf::from("dist"),
            data_dir: PathBuf::from("data"),
            public_url: None,
            listen_url: None,
            allowed_origins: Vec::new(),
            dev_outbox: false,
            heartbeat_seconds: DEFAULT_HEARTBEAT_SECONDS,
            ip_code_limit: DEFAULT_IP_CODE_LIMIT,
            ip_sign_in_limit: DEFAULT_IP_SIGN_IN_LIMIT,
            storage_max_bytes: api::STORAGE_MAX_BYTES,
            unsent_max_bytes: DEFAULT_UNSENT_MAX_BYTES,
            picture_decodes: std::thread::available_parallelism().map_or(1, usize::from),
            picture_wait: DEFAULT_PICTURE_WAIT,
        }
    }
}

impl Config {
    /// Served over https: cookies get `Secure` and the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }

    pub fn session_cookie_name(&self) -> &'static str {
        if self.is_https() { "__Host-parta_session" } else { "parta_session" }
    }

    /// The origin of links the server sends out itself (a parent's confirmation link): `public_url`,
    /// or else the address it listens on. Never a request's `Host` header, which whoever sends the
    /// request chooses: a forged one would put a link to their own site into a parent's e-mail.
    pub fn link_origin(&self) -> &str {
        self.public_url.as_deref().or(self.listen_url.as_deref()).unwrap_or("http://localhost")
    }

    /// Where uploaded files are stored.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("«{0}» is not an origin: expected http(s)://host[:port] with no path, e.g. https://parta.example")]
pub struct BadOrigin(String);

/// Reduces a URL to the origin a browser would send in its `Origin` header: lower-case scheme and
/// host, no trailing slash.
pub fn parse_origin(input: &str) -> Result<String, BadOrigin> {
    let bad = || BadOrigin(input.to_string());
    let uri: axum::http::Uri = input.trim().parse().map_err(|_| bad())?;
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase).ok_or_else(bad)?;
    let authority = uri.authority().ok_or_else(bad)?;
    let path_is_empty = matches!(uri.path(), "" | "/") && uri.query().is_none();
    if !matches!(scheme.as_str(), "http" | "https") || !path_is_empty || authority.as_str().contains('@') {
        return Err(bad());
    }
    Ok(format!("{scheme}://{}", authority.as_str().to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        assert_eq!(parse_origin("https://Parta.Example/").unwrap(), "https://parta.example");
        assert_eq!(parse_origin("http://localhost:8080").unwrap(), "http://localhost:8080");
        for bad in ["parta.example", "ftp://parta.example", "https://parta.example/app", "https://u@x"] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}

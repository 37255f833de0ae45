use gloo_net::http::Request;
use serde::Deserialize;

use super::http::get_at;
use crate::error::AppError;

/// `/config.json`, read at start so a built app can be pointed at any compatible backend without
/// rebuilding it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AppConfig {
    /// The backend's origin, e.g. `https://parta.school.ru`; empty for the app's own origin.
    #[serde(default)]
    pub api_base: String,
}

/// Reads the run-time configuration; a missing file means the defaults (same origin), an unreadable
/// one too, so a broken deploy still tries the obvious backend. `None` when nothing answered at all
/// (offline): then the app may know the backend from its last start.
pub async fn load_config() -> Option<AppConfig> {
    match Request::get("/config.json").send().await {
        Ok(response) if response.ok() => Some(response.json().await.unwrap_or_default()),
        Ok(_) => Some(AppConfig::default()),
        Err(_) => None,
    }
}

/// `GET /meta` of the backend at `base`: the contract version and the optional parts it offers.
pub async fn meta_at(base: &str) -> Result<contract::Meta, AppError> {
    get_at(base, "/meta", None).await
}

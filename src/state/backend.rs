//! Which backend the app talks to and what it offers.

use contract::{Capability, Me, Meta};
use futures::future::{join, join3};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the app learns before it can show anything.
#[derive(Clone, Debug)]
pub struct Boot {
    pub meta: Meta,
    /// `None` when nobody is signed in.
    pub me: Option<Me>,
}

/// Why the app cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum BootError {
    /// The backend did not answer (or answered something that is not the contract).
    Unreachable,
    /// The backend speaks another major version of the contract.
    Incompatible { version: String },
}

/// Reads `/config.json`, the backend's `meta` and the current session, all three at once: until the
/// configuration names the backend, the one of the last start (the app's own origin the first time)
/// is asked, and only a configuration that names another costs a second round. Without a network
/// (the service worker started the app from its cache), what the last start learned is used instead,
/// so the person sees their chats, their unsent messages and the offline banner rather than an error.
pub async fn boot() -> Result<Boot, BootError> {
    let saved = saved_boot();
    // Settled once per page load: "try again" asks the same backend, without reading the file again.
    let settled = crate::api::api_base_set();
    let guess = settled
        .map(str::to_string)
        .or_else(|| saved.as_ref().map(|s| s.api_base.clone()))
        .unwrap_or_default();
    let config = async {
        match settled {
            Some(_) => None,
            None => Some(crate::api::load_config().await),
        }
    };
    let (config, meta, me) = join3(config, crate::api::meta_at(&guess), crate::api::me_at(&guess)).await;
    let api_base = match config {
        Some(Some(config)) => config.api_base,
        // Settled before, or offline: the backend of the last start.
        _ => guess.clone(),
    };
    crate::api::set_api_base(&api_base);
    let (meta, me) = if crate::api::normalize_api_base(&api_base) == crate::api::normalize_api_base(&guess) {
        (meta, me)
    } else {
        join(crate::api::meta_at(&api_base), crate::api::me_at(&api_base)).await
    };
    let offline = |error: AppError| match saved.clone() {
        Some(SavedBoot { api_base: base, meta, me: Some(me) })
            if error == AppError::Network && base == api_base =>
        {
            Ok(Boot { meta, me: Some(me) })
        }
        _ => Err(BootError::Unreachable),
    };
    let meta = match meta {
        Ok(meta) => meta,
        Err(error) => return offline(error),
    };
    if !is_compatible(&meta.contract_version) {
        return Err(BootError::Incompatible { version: meta.contract_version });
    }
    // Anything but "nobody is signed in" means the backend cannot be used right now.
    let me = match me {
        Ok(me) => me,
        Err(error) => return offline(error),
    };
    save_boot(&SavedBoot { api_base, meta: meta.clone(), me: me.clone() });
    Ok(Boot { meta, me })
}

/// `localStorage` key of what the last start learned.
const BOOT_KEY: &str = "parta.boot";

#[derive(Clone, Serialize, Deserialize)]
struct SavedBoot {
    api_base: String,
    meta: Meta,
    /// Forgotten on signing out, so nothing of the person stays on a shared computer.
    me: Option<Me>,
}

fn saved_boot() -> Option<SavedBoot> {
    let json = window().local_storage().ok().flatten()?.get_item(BOOT_KEY).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

fn save_boot(saved: &SavedBoot) {
    let Some(storage) = window().local_storage().ok().flatten() else { return };
    if let Ok(json) = serde_json::to_string(saved) {
        let _ = storage.set_item(BOOT_KEY, &json);
    }
}

/// Keeps the saved start's person up to date: signed in (`Some`) or out (`None`) since it was saved.
pub fn remember_me(me: Option<&Me>) {
    if let Some(mut saved) = saved_boot() {
        saved.me = me.cloned();
        save_boot(&saved);
    }
}

/// Same major version as the one this app was built against.
pub fn is_compatible(version: &str) -> bool {
    let major = |v: &str| v.split('.').next().map(str::to_owned);
    major(version).is_some() && major(version) == major(contract::CONTRACT_VERSION)
}

/// The backend's self-description, shared through context.
#[derive(Clone, Copy)]
pub struct Backend {
    meta: StoredValue<Meta>,
}

impl Backend {
    /// Whether the backend offers an optional part of the contract: the app hides what it lacks.
    pub fn has(&self, capability: Capability) -> bool {
        self.meta.with_value(|m| m.has(capability))
    }
}

pub fn provide_backend(meta: Meta) -> Backend {
    let backend = Backend { meta: StoredValue::new(meta) };
    provide_context(backend);
    backend
}

pub fn use_backend() -> Backend {
    expect_context::<Backend>()
}

#[cfg(test)]
mod tests {
    use super::is_compatible;

    #[test]
    fn only_the_same_major_version_is_compatible() {
        assert!(is_compatible("1.0"));
        assert!(is_compatible("1.7"));
        assert!(!is_compatible("2.0"));
        assert!(!is_compatible(""));
    }
}

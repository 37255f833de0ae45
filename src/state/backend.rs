//! Which backend the app talks to and what it offers.

use contract::{Capability, Me, Meta};
use leptos::prelude::*;

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

/// Reads `/config.json`, then the backend's `meta` and the current session.
pub async fn boot() -> Result<Boot, BootError> {
    let config = crate::api::load_config().await;
    crate::api::set_api_base(&config.api_base);
    let meta = crate::api::meta().await.map_err(|_| BootError::Unreachable)?;
    if !is_compatible(&meta.contract_version) {
        return Err(BootError::Incompatible { version: meta.contract_version });
    }
    // Anything but "nobody is signed in" means the backend cannot be used right now.
    let me = crate::api::me().await.map_err(|_| BootError::Unreachable)?;
    Ok(Boot { meta, me })
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

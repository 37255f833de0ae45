//! Signing in with a one-time code, sessions, and the guards around them.

pub mod codes;
pub mod csrf;
pub mod rate_limit;
pub mod session;

use sha2::{Digest, Sha256};

pub(crate) fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

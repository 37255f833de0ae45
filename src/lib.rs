//! Parta's web app: a Leptos single-page app compiled to WebAssembly.
//!
//! Start reading at [`app::App`]: it loads the run-time configuration, asks the backend what it is,
//! restores the session and declares every route.

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod format;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod state;

use leptos::prelude::*;

/// Entry point of the wasm binary.
pub fn start() {
    console_error_panic_hook::set_once();
    // index.html shows a static "loading" note until the wasm is running; the app replaces it.
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}

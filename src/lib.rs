//! Parta's web app: a Leptos single-page app compiled to WebAssembly.
//!
//! Start reading at [`app::App`]: it loads the run-time configuration, asks the backend what it is,
//! restores the session and declares every route.

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod error;
pub mod first_screen;
pub mod format;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod routes;
pub mod state;

use leptos::prelude::*;

/// Entry point of the app's wasm (`src/main.rs`).
pub fn start() {
    console_error_panic_hook::set_once();
    // index.html's first screen stays until the app has drawn the same (`first_screen::hand_over`).
    leptos::mount::mount_to_body(|| view! { <app::App /> });
    register_service_worker();
}

/// Lets the browser start Parta without a network next time (`public/sw.js`: the app's own files,
/// never the API). Registered once the app is running, so that installing it does not compete with
/// the first load; browsers without service workers, or on plain http away from localhost, simply
/// go on without.
fn register_service_worker() {
    let navigator = window().navigator();
    let has_workers = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if has_workers && window().is_secure_context() {
        let registering = navigator.service_worker().register("/sw.js");
        // Awaited only so that a failure (a development server without sw.js) is not an unhandled
        // rejection in the console.
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(registering).await;
        });
    }
}

//! Browser notifications for messages that arrive while Parta's tab is hidden, if the person allowed
//! them. Asking is the person's choice (a button in the chat list), never on page load.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Whether the browser can show notifications at all (not in every browser, nor over plain http on
/// another machine).
pub fn supported() -> bool {
    js_sys::Reflect::has(&window(), &"Notification".into()).unwrap_or(false)
}

/// The person's answer so far: granted, denied, or not asked yet (`Default`).
pub fn permission() -> NotificationPermission {
    if supported() { Notification::permission() } else { NotificationPermission::Denied }
}

/// Asks the browser for permission; `answered` gets the answer.
pub fn ask(answered: impl FnOnce(NotificationPermission) + 'static) {
    let Ok(promise) = Notification::request_permission() else { return };
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        answered(Notification::permission());
    });
}

/// Shows a notification when the tab is hidden and the person allowed it. One per chat at a time (a
/// newer one replaces the last); clicking it brings the tab forward and calls `open`.
pub fn notify(chat_id: i64, title: &str, body: &str, open: impl FnOnce() + 'static) {
    if !document().hidden() || permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(&format!("parta-chat-{chat_id}"));
    let Ok(notification) = Notification::new_with_options(title, &options) else { return };
    let on_click = Closure::once_into_js(move || {
        let _ = window().focus();
        open();
    });
    notification.set_onclick(Some(on_click.unchecked_ref()));
}

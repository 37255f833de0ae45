//! Handing a link to someone: the clipboard everywhere, the system share sheet (Web Share) where the
//! browser has one — on phones mostly.

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Copies `text`; false when the browser refused (no permission, not a secure context).
pub async fn copy_text(text: &str) -> bool {
    let promise = window().navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// `navigator.share`, when the browser has it (bound by hand: web-sys marks it unstable).
fn share_function() -> Option<Function> {
    Reflect::get(&window().navigator(), &JsValue::from_str("share")).ok()?.dyn_into::<Function>().ok()
}

/// Whether a share sheet can be offered.
pub fn can_share() -> bool {
    share_function().is_some()
}

/// What happened to a share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shared {
    /// The sheet was shown and something was chosen.
    Done,
    /// The person closed the sheet: nothing to say.
    Cancelled,
    /// No sheet here, or it failed: the caller copies instead.
    Unavailable,
}

/// Opens the system share sheet with a title and a link.
pub async fn share_link(title: &str, url: &str) -> Shared {
    let Some(share) = share_function() else { return Shared::Unavailable };
    let data = Object::new();
    let _ = Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
    let _ = Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url));
    let Ok(promise) = share.call1(&window().navigator(), &data) else { return Shared::Unavailable };
    match JsFuture::from(Promise::from(promise)).await {
        Ok(_) => Shared::Done,
        Err(error) => {
            let name = Reflect::get(&error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
            if name.as_deref() == Some("AbortError") { Shared::Cancelled } else { Shared::Unavailable }
        }
    }
}

//! index.html draws a first screen of its own (`#boot`: the sign-in card, an invite's landing page or a
//! loading note) before the wasm has even arrived, so that a phone on a slow network shows Parta at
//! once. Until the app takes it over, whatever the app draws stays hidden behind it
//! (`style/first-screen.css`); a screen calls [`hand_over`] once it has drawn what the person came for,
//! so the two never show at the same time and nothing on the page moves.

use std::time::Duration;

use leptos::prelude::*;

/// Removes index.html's first screen, showing the app in its place. The app's components are styled
/// by a stylesheet that loads without blocking the first paint; should it still be on its way, the
/// first screen stays until it is there (an unstyled app would be worse than waiting). Does nothing
/// the second time.
pub fn hand_over() {
    let Some(boot) = document().get_element_by_id("boot") else {
        return;
    };
    // index.html's last script switches the stylesheet from "print" to "all" once it has loaded (or
    // failed, when waiting longer would not help).
    let styled = document()
        .get_element_by_id("app-css")
        .is_none_or(|css| css.get_attribute("media").as_deref() != Some("print"));
    if styled {
        boot.remove();
    } else {
        set_timeout(hand_over, Duration::from_millis(20));
    }
}

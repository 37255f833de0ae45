use leptos::prelude::*;

use crate::i18n::{Lang, use_i18n};

/// Switches between Russian and English. The button names the other language in that language
/// («English» / «Русский»), as people look for their own.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let other = match i18n.lang() {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        };
        view! {
            <button
                type="button"
                id="language-switch"
                class="button button--ghost"
                lang=other.code()
                title=i18n.t().language_switch_hint
                on:click=move |_| {
                    i18n.set_lang(other);
                    // The screen is drawn anew in the other language: keep the keyboard where it was.
                    request_animation_frame(|| {
                        if let Some(button) = document().get_element_by_id("language-switch") {
                            use wasm_bindgen::JsCast;
                            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    });
                }
            >
                {other.strings().language_name}
            </button>
        }
    }
}

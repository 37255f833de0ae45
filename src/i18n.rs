//! Translations: Russian by default, English on request, the choice kept in the browser.
//!
//! The strings come from `src/i18n/<lang>.json`, turned into [`Strings`] by build.rs, so every key used
//! here exists in every language or the build fails.

use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "parta.lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    /// BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }
}

/// The person's language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The strings of the current language (reactive: read inside a closure in views).
    pub fn t(&self) -> &'static Strings {
        self.lang.get().strings()
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The strings of the current language, read outside any view (after an answer arrives, say).
    pub fn t_untracked(&self) -> &'static Strings {
        self.lang.try_get_untracked().unwrap_or(Lang::Ru).strings()
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang.set(lang);
    }
}

/// Reads the saved language (Russian when none), keeps `<html lang>` and the saved choice in step.
pub fn provide_i18n() -> I18n {
    let saved = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let lang = RwSignal::new(saved.as_deref().and_then(Lang::from_code).unwrap_or(Lang::Ru));
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, code);
        }
    });
    let i18n = I18n { lang };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Fills `{name}` placeholders of a translated template.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("{a} и {b}, {a}", &[("a", "1"), ("b", "2")]), "1 и 2, 1");
        assert_eq!(fill("нет", &[("a", "1")]), "нет");
    }
}

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Keeps `document.title` as "<page> — Парта" while the calling component is shown, so tabs, history
/// and screen readers name the page.
pub fn use_page_title(title: impl Fn() -> String + Send + Sync + 'static) {
    // Erased so that every page shares one effect instead of a copy per call site.
    let title: Arc<dyn Fn() -> String + Send + Sync> = Arc::new(title);
    let i18n = use_i18n();
    // Signed in, the tab counts what is unread, so a teacher sees it from another tab.
    let chats = use_context::<crate::state::chats::Chats>();
    Effect::new(move |_| {
        let unread = chats.map_or(0, crate::state::chats::total_unread);
        let count = if unread > 0 { format!("({unread}) ") } else { String::new() };
        document().set_title(&format!("{count}{} — {}", title(), i18n.t().app_name));
    });
}

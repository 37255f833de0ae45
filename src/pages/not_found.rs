use leptos::prelude::*;

use crate::components::{EmptyState, Shell};
use crate::hooks::use_page_title;
use crate::i18n::use_i18n;
use crate::routes;

/// A path the app does not have.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Shell brand_links_home=true>
            <NotFound />
        </Shell>
    }
}

/// What a path that names nothing shows: alone, or inside the signed-in layout (`/chats/abc`).
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().not_found_title.to_string());
    view! {
        <div class="page-center">
            <div class="card">
                {move || {
                    let t = i18n.t();
                    view! {
                        <h1>{t.not_found_title}</h1>
                        <EmptyState symbol="🧭" title=t.not_found_lead text=t.not_found_text>
                            <a class="button button--primary" href=routes::HOME>{t.go_home}</a>
                        </EmptyState>
                    }
                }}
            </div>
        </div>
    }
}

use leptos::prelude::*;
use stylers_macro::style;

use crate::i18n::use_i18n;
use crate::state::connection::{ConnectionState, use_connection};

/// Says so when the live connection is down, and goes away when it is back.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let class = style! {
        .banner {
            padding: var(--space-2) var(--space-4);
            background: var(--warning-surface);
            color: var(--text);
            border-bottom: 1px solid var(--warning-border);
            font-size: 0.9375rem;
        }
    };
    let i18n = use_i18n();
    let connection = use_connection();
    view! { class=class,
        <div role="status" aria-live="polite">
            {move || {
                (connection.state() == ConnectionState::Reconnecting)
                    .then(|| view! { class=class, <p class="banner">{i18n.t().connection_lost}</p> })
            }}
        </div>
    }
}

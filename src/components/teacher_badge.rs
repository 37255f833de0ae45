use leptos::prelude::*;
use stylers_macro::style;

use crate::i18n::use_i18n;

/// The «учитель» badge next to the name of a teacher whose status an administrator confirmed.
#[component]
pub fn TeacherBadge() -> impl IntoView {
    let class = style! {
        .badge {
            display: inline-flex;
            align-items: center;
            gap: 0.125rem;
            margin-left: var(--space-1);
            padding: 0 0.375rem;
            border-radius: 999px;
            font-size: 0.75rem;
            font-weight: 600;
            line-height: 1.25rem;
            vertical-align: 0.0625rem;
            background: var(--accent-surface);
            color: var(--accent-text);
            white-space: nowrap;
        }
    };
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        view! { class=class,
            <span class="badge" title=t.teacher_badge_hint>
                <span aria-hidden="true">"✓"</span>
                {t.teacher_badge}
            </span>
        }
    }
}

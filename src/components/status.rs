use leptos::prelude::*;
use stylers_macro::style;

use crate::error::AppError;
use crate::i18n::use_i18n;

/// A quiet "loading" note for screen readers and a spinner for eyes.
#[component]
pub fn Loading() -> impl IntoView {
    let class = style! {
        .loading {
            display: flex;
            align-items: center;
            justify-content: center;
            gap: var(--space-2);
            padding: var(--space-6) var(--space-4);
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    view! { class=class,
        <div class="loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || i18n.t().loading}</span>
        </div>
    }
}

/// A failed request, said in the person's language, with a way to try again.
#[component]
pub fn ErrorNotice(
    /// What went wrong.
    error: AppError,
    /// Called by the "try again" button; no button when absent.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let class = style! {
        .error {
            margin: var(--space-4);
            padding: var(--space-4);
            border-radius: var(--radius);
            border: 1px solid var(--danger-border);
            background: var(--danger-surface);
            color: var(--text);
        }
        .error p {
            margin: 0 0 var(--space-3);
        }
    };
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        view! { class=class,
            <div class="error" role="alert">
                <p>{error.message(t)}</p>
                {on_retry.map(|retry| view! { class=class,
                    <button type="button" class="button" on:click=move |_| retry.run(())>
                        {t.try_again}
                    </button>
                })}
            </div>
        }
    }
}

/// What a screen shows when there is nothing (yet): a title, an explanation, and maybe an action.
#[component]
pub fn EmptyState(
    /// One short line.
    title: &'static str,
    /// What it means and what to do.
    text: &'static str,
    /// A decorative symbol shown above the title.
    #[prop(optional)]
    symbol: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let class = style! {
        .empty {
            display: flex;
            flex-direction: column;
            align-items: center;
            text-align: center;
            gap: var(--space-2);
            padding: var(--space-6) var(--space-4);
            color: var(--text-muted);
            max-width: 28rem;
            margin: 0 auto;
        }
        .symbol {
            font-size: 2.5rem;
            line-height: 1;
        }
        .title {
            margin: 0;
            font-size: 1.125rem;
            font-weight: 600;
            color: var(--text);
        }
        .text {
            margin: 0;
        }
    };
    view! { class=class,
        <div class="empty">
            {(!symbol.is_empty()).then(|| view! { class=class, <span class="symbol" aria-hidden="true">{symbol}</span> })}
            <p class="title">{title}</p>
            <p class="text">{text}</p>
            {children.map(|c| c())}
        </div>
    }
}

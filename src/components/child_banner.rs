use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::error::AppError;
use crate::hooks::use_submit;
use crate::i18n::{fill, use_i18n};
use crate::state::session::use_session;

/// For a young student whom no parent confirmed yet: which mailbox the confirmation went to, and a way
/// to send it again. Goes away once the parent confirms (the live connection reloads `/me`).
#[component]
pub fn ChildConfirmationBanner() -> impl IntoView {
    let class = style! {
        .banner {
            flex: none;
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2) var(--space-4);
            padding: var(--space-2) var(--space-4);
            background: var(--warning-surface);
            color: var(--text);
            border-bottom: 1px solid var(--warning-border);
            font-size: 0.9375rem;
        }
        p {
            margin: 0;
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let waiting = Memo::new(move |_| session.waiting_for_parent());
    let resend = use_submit();
    // What the last resend came to: sent, or why not.
    let outcome = RwSignal::new(None::<Result<(), AppError>>);
    let send_again = move |_: leptos::ev::MouseEvent| {
        resend.run(async move {
            let result = api::resend_child_confirmation().await;
            let _ = outcome.try_set(Some(result));
        });
    };
    move || {
        let young = waiting.get()?;
        let t = i18n.t();
        let text = if young.declined { t.child_banner_declined } else { t.child_banner };
        Some(view! { class=class,
            <div class="banner" role="region" aria-label=t.confirm_child_title>
                <p>{fill(text, &[("email", &young.parent_email_masked)])}</p>
                <button
                    type="button"
                    class="button button--ghost"
                    disabled=move || resend.pending()
                    on:click=send_again
                >
                    {t.child_banner_resend}
                </button>
                <p role="status">
                    {move || outcome.with(|outcome| match outcome {
                        Some(Ok(())) => Some(t.child_banner_resent.to_string()),
                        Some(Err(error)) => Some(error.message(t)),
                        None => None,
                    })}
                </p>
            </div>
        })
    }
}

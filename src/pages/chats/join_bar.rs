//! «Вы не участник — присоединиться»: what an administrator sees under a chat of their school they
//! are reading without being in it, instead of the composer. Joining is one tap, written to the
//! school's audit log; the composer then takes the bar's place.

use leptos::prelude::*;
use stylers_macro::style;

use super::chat::use_chat_state;
use crate::hooks::use_submit;
use crate::i18n::use_i18n;

#[component]
pub fn JoinBar() -> impl IntoView {
    let class = style! {
        .join {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: center;
            gap: var(--space-2) var(--space-3);
            padding: var(--space-3) var(--space-4);
            border-top: 1px solid var(--border);
            background: var(--surface);
        }
        .join p {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
            text-align: center;
        }
        .alert {
            flex-basis: 100%;
            text-align: center;
        }
    };
    let i18n = use_i18n();
    let state = use_chat_state();
    let joining = use_submit();
    let failure = RwSignal::new(None::<String>);
    let join = move |_| {
        failure.set(None);
        let chat_id = state.id();
        joining.run(async move {
            match crate::api::join_chat(chat_id).await {
                Ok(chat) => {
                    let _ = state.info.try_set(chat);
                }
                Err(error) => {
                    let _ = failure.try_set(Some(error.message(i18n.t_untracked())));
                }
            }
        });
    };
    move || {
        let t = i18n.t();
        view! { class=class,
            <div class="join" role="region" aria-label=t.chat_not_member>
                <p>{t.chat_not_member}</p>
                <button type="button" class="button button--primary" on:click=join disabled=move || joining.pending()>
                    {t.chat_join}
                </button>
                {move || failure.get().map(|text| view! { class=class, <p class="alert" role="alert">{text}</p> })}
            </div>
        }
    }
}

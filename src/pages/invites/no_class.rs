//! A teacher with no class yet, where a class would be: who gives them one (the administrators, asked
//! with one button) and what they can do meanwhile. Follows the request live: the administrators'
//! decision arrives as `decisions_changed` (the class itself, as `memberships_changed`, is the
//! screen's to follow).

use contract::{ClassRequestStatus, ServerEvent};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{ErrorNotice, Loading};
use crate::error::AppError;
use crate::hooks::{use_load, use_submit};
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::connection::use_connection;

#[component]
pub fn NoClassYet(
    /// The school the teacher has no class in.
    school_id: i64,
) -> impl IntoView {
    let class = style! {
        .no-class {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            max-width: 36rem;
        }
        h2,
        p {
            margin: 0;
        }
        .button {
            align-self: flex-start;
        }
        ul {
            margin: 0;
            padding-left: var(--space-5);
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let connection = use_connection();
    let request = use_load(move || api::my_class_request(school_id));
    Effect::new(move |seen: Option<()>| {
        let event = connection.event();
        if seen.is_some()
            && let Some(ServerEvent::DecisionsChanged { school_id: changed }) = event
            && changed == school_id
        {
            request.refetch();
        }
    });
    let asking = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let ask = move |_| {
        failure.set(None);
        asking.run(async move {
            match api::request_class(school_id).await {
                Ok(_) => request.refetch(),
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    let state = move || {
        let t = i18n.t();
        match request.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => {
                view! { <ErrorNotice error=error on_retry=move || request.refetch() /> }.into_any()
            }
            Some(Ok(Some(asked))) if asked.status == ClassRequestStatus::Pending => {
                view! { <p role="status">{t.class_request_pending}</p> }.into_any()
            }
            Some(Ok(Some(asked))) if asked.status == ClassRequestStatus::Assigned => {
                view! { <p role="status">{t.class_request_assigned}</p> }.into_any()
            }
            Some(Ok(previous)) => {
                let declined = previous.is_some_and(|p| p.status == ClassRequestStatus::Declined);
                view! {
                    {declined.then(|| view! { <p role="status">{t.class_request_declined}</p> })}
                    <button type="button" class="button button--primary" on:click=ask disabled=move || asking.pending()>
                        {t.class_request_button}
                    </button>
                }
                .into_any()
            }
        }
    };
    view! { class=class,
        <section class="no-class" aria-labelledby="no-class-heading">
            {move || {
                let t = i18n.t();
                view! { class=class,
                    <h2 id="no-class-heading">{t.class_request_title}</h2>
                    <p>{t.class_request_text}</p>
                }
            }}
            {state}
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            {move || {
                let t = i18n.t();
                view! { class=class,
                    <h3>{t.class_request_meanwhile}</h3>
                    <ul>
                        <li><a href=routes::HOME>{t.class_request_chats}</a></li>
                        <li><a href=routes::new_chat(school_id)>{t.class_request_direct}</a></li>
                    </ul>
                }
            }}
        </section>
    }
}

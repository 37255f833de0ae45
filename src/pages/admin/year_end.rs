//! «Конец года»: every class one grade up (5А → 6А), the 11th grades graduate (archived; their members
//! keep reading the chats). Shown first as a preview; applied in one step only as reviewed.

use contract::{ErrorCode, YearEnd};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::use_i18n;

#[component]
pub fn YearEndPage(school_id: i64) -> impl IntoView {
    let class = style! {
        table {
            border-collapse: collapse;
            width: 100%;
            max-width: 36rem;
        }
        th,
        td {
            text-align: left;
            padding: var(--space-2);
            border-bottom: 1px solid var(--border);
        }
        .graduates {
            font-weight: 600;
        }
        .done {
            margin: 0;
            padding: var(--space-3);
            border-radius: var(--radius-s);
            border: 1px solid var(--border);
            background: var(--surface-sunken);
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_year_end.to_string());
    let preview = use_load(move || api::admin::year_end(school_id));
    let applying = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(false);
    let apply = move |reviewed: YearEnd| {
        if !window().confirm_with_message(i18n.t().year_end_confirm).unwrap_or(false) {
            return;
        }
        applying.run(async move {
            match api::admin::apply_year_end(school_id, reviewed).await {
                Ok(()) => {
                    failure.set(None);
                    done.set(true);
                    preview.refetch();
                }
                Err(error) => {
                    // The classes changed since the preview: show the new one to review.
                    if error.code() == Some(ErrorCode::Conflict) {
                        preview.refetch();
                    }
                    failure.set(Some(error));
                }
            }
        });
    };
    move || {
        let t = i18n.t();
        let body = match preview.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || preview.refetch() /> }.into_any(),
            Some(Ok(plan)) if plan.classes.is_empty() => {
                view! { <EmptyState symbol="🎓" title=t.year_end_nothing_title text=t.year_end_nothing_text /> }.into_any()
            }
            Some(Ok(plan)) => {
                let rows = plan
                    .classes
                    .iter()
                    .map(|c| {
                        let becomes = match &c.becomes {
                            Some(name) => view! { class=class, <td>{name.clone()}</td> }.into_any(),
                            None => view! { class=class, <td class="graduates">{t.year_end_graduates}</td> }.into_any(),
                        };
                        view! { class=class, <tr><th scope="row">{c.name.clone()}</th>{becomes}</tr> }
                    })
                    .collect_view();
                let reviewed = StoredValue::new(plan);
                view! { class=class,
                    <p>{t.year_end_explain}</p>
                    <table>
                        <caption class="visually-hidden">{t.year_end_preview}</caption>
                        <thead>
                            <tr><th scope="col">{t.year_end_now}</th><th scope="col">{t.year_end_becomes}</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="row">
                        <button
                            type="button"
                            class="button button--primary"
                            disabled=move || applying.pending()
                            on:click=move |_| apply(reviewed.get_value())
                        >
                            {t.year_end_apply}
                        </button>
                    </div>
                }
                .into_any()
            }
        };
        view! { class=class,
            <section class="screen" aria-labelledby="year-end-heading">
                <h1 id="year-end-heading">{t.admin_year_end}</h1>
                {move || done.get().then(|| view! { class=class, <p class="done" role="status">{i18n.t().year_end_done}</p> })}
                <p class="alert" role="alert" hidden=move || failure.with(Option::is_none)>
                    {move || failure.get().map(|e| e.message(i18n.t()))}
                </p>
                {body}
            </section>
        }
    }
}

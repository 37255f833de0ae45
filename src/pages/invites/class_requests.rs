//! «Учителя без класса» in the administrator's «Заявки»: a teacher's request for a class, granted by
//! choosing the class (the teacher becomes one of its teachers) or declined. Refreshes live.

use contract::{ClassRequest, ClassSummary};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::hooks::{use_load, use_submit};
use crate::i18n::{fill, use_i18n};

use super::requests::refetch_on_decisions;

#[component]
pub fn ClassRequests(school_id: i64) -> impl IntoView {
    let class = style! {
        li {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            justify-content: space-between;
            gap: var(--space-3);
        }
        .who {
            margin: 0;
            font-weight: 600;
            overflow-wrap: anywhere;
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
            flex: 1 1 12rem;
            max-width: 20rem;
        }
        select {
            font: inherit;
            width: 100%;
            min-height: 2.75rem;
            padding: 0 var(--space-2);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .row {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let list = use_load(move || api::class_requests(school_id));
    let classes = use_load(move || api::admin::classes(school_id));
    refetch_on_decisions(school_id, move || list.refetch());
    let deciding = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let assign = move |class_id: i64, teacher_id: i64| {
        failure.set(None);
        deciding.run(async move {
            if let Err(error) = api::admin::assign_teacher(class_id, teacher_id).await {
                let _ = failure.try_set(Some(error));
            }
            list.refetch();
        });
    };
    let decline = move |id: i64| {
        failure.set(None);
        deciding.run(async move {
            if let Err(error) = api::decline_class_request(id).await {
                let _ = failure.try_set(Some(error));
            }
            list.refetch();
        });
    };
    // Classes a teacher can be given: not «Учительская», not archived.
    let choices = move || -> Vec<ClassSummary> {
        classes.with(|v| {
            v.and_then(|r| r.as_ref().ok())
                .map(|all| all.iter().filter(|c| !c.staff_room && !c.archived).cloned().collect())
                .unwrap_or_default()
        })
    };
    let row = move |item: ClassRequest| {
        let t = i18n.t();
        let chosen = RwSignal::new(None::<i64>);
        let select_id = format!("class-request-{}", item.id);
        let options = choices()
            .into_iter()
            .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
            .collect_view();
        let teacher_id = item.teacher.id;
        let id = item.id;
        view! { class=class,
            <li data-class-request=id>
                <p class="who">{item.teacher.name.clone()}</p>
                <div class="field">
                    <label for=select_id.clone()>{fill(t.class_request_choose, &[("name", &item.teacher.name)])}</label>
                    <select
                        id=select_id
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                    >
                        <option value="" selected=true>{t.class_teacher_choose}</option>
                        {options}
                    </select>
                </div>
                <div class="row">
                    <button
                        type="button"
                        class="button button--primary"
                        disabled=move || deciding.pending() || chosen.get().is_none()
                        on:click=move |_| {
                            if let Some(class_id) = chosen.get_untracked() {
                                assign(class_id, teacher_id);
                            }
                        }
                    >
                        {t.class_request_assign}
                    </button>
                    <button type="button" class="button" disabled=move || deciding.pending() on:click=move |_| decline(id)>
                        {t.class_request_decline}
                    </button>
                </div>
            </li>
        }
    };
    view! { class=class,
        <section aria-labelledby="class-requests-heading">
            <h2 class="section-title" id="class-requests-heading">{move || i18n.t().class_requests_title}</h2>
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            {move || match list.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="🏫" title=t.class_requests_empty_title text=t.class_requests_empty_text /> }
                        .into_any()
                }
                Some(Ok(items)) => {
                    let rows = items.into_iter().map(row).collect_view();
                    view! { class=class, <ul class="card-list">{rows}</ul> }.into_any()
                }
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || list.refetch() /> }.into_any(),
            }}
        </section>
    }
}

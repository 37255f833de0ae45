//! `/confirm-child/<token>`: the parent, from the link in their e-mail, confirms that a young student
//! is their child — or says it is not. Works signed out: the token proves the mailbox.

use contract::ChildConfirmation;
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{ErrorNotice, Loading, Shell};
use crate::format::long_date;
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::use_i18n;

#[component]
pub fn ConfirmChildPage(
    /// From the link.
    token: String,
) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().confirm_child_title.to_string());
    let child = {
        let token = token.clone();
        use_load(move || api::child_confirmation(token.clone()))
    };
    let token = StoredValue::new(token);
    move || match child.get() {
        None => view! { <Shell><Loading /></Shell> }.into_any(),
        Some(Ok(child)) => view! { <Decision token=token.get_value() child=child /> }.into_any(),
        Some(Err(error)) => view! { <Shell><ErrorNotice error=error /></Shell> }.into_any(),
    }
}

#[component]
fn Decision(
    /// From the link.
    token: String,
    /// Whom the link is about.
    child: ChildConfirmation,
) -> impl IntoView {
    let class = style! {
        dl {
            margin: 0 0 var(--space-4);
            display: grid;
            gap: var(--space-1);
        }
        dt {
            font-weight: 600;
        }
        dd {
            margin: 0 0 var(--space-2);
        }
        .actions {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let submit = use_submit();
    // The answer once the server took it: `true` confirmed, `false` declined.
    let decided = RwSignal::new(None::<bool>);
    let failure = RwSignal::new(None::<crate::error::AppError>);
    let token = StoredValue::new(token);
    let answer = move |confirm: bool| {
        let token = token.get_value();
        submit.run(async move {
            match api::decide_child(token, confirm).await {
                Ok(()) => {
                    let _ = decided.try_set(Some(confirm));
                }
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    let name = format!("{} {}", child.first_name, child.last_name);
    let birth_date = child.birth_date.clone();
    let schools = child.schools.clone();
    view! { class=class,
        <Shell>
            <div class="page-center">
                <div class="card">
                    {move || {
                        let t = i18n.t();
                        if let Some(confirmed) = decided.get() {
                            let text = if confirmed { t.confirm_child_confirmed } else { t.confirm_child_declined };
                            return view! { class=class,
                                <h1>{t.confirm_child_title}</h1>
                                <p class="lead" role="status">{text}</p>
                            }
                            .into_any();
                        }
                        // Noon, so that no time zone moves the day.
                        let born = long_date(&format!("{birth_date}T12:00:00Z"), i18n.lang());
                        let places = if schools.is_empty() {
                            t.confirm_child_no_school.to_string()
                        } else {
                            schools
                                .iter()
                                .map(|school| match school.classes.is_empty() {
                                    true => school.name.clone(),
                                    false => format!("{}, {}", school.name, school.classes.join(", ")),
                                })
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        view! { class=class,
                            <h1>{t.confirm_child_title}</h1>
                            <p class="lead">{t.confirm_child_lead}</p>
                            <dl>
                                <dt>{t.confirm_child_name}</dt>
                                <dd>{name.clone()}</dd>
                                <dt>{t.confirm_child_birth_date}</dt>
                                <dd>{born}</dd>
                                <dt>{t.confirm_child_schools}</dt>
                                <dd>{places}</dd>
                            </dl>
                            {move || failure.get().map(|error| view! {
                                <p class="alert" role="alert">{error.message(t)}</p>
                            })}
                            <div class="actions">
                                <button
                                    type="button"
                                    class="button button--primary button--block"
                                    disabled=move || submit.pending()
                                    on:click=move |_| answer(true)
                                >
                                    {t.confirm_child_yes}
                                </button>
                                <button
                                    type="button"
                                    class="button button--ghost button--block"
                                    disabled=move || submit.pending()
                                    on:click=move |_| answer(false)
                                >
                                    {t.confirm_child_no}
                                </button>
                            </div>
                        }
                        .into_any()
                    }}
                </div>
            </div>
        </Shell>
    }
}

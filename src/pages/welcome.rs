//! The first-time educational profile («учебный профиль»): first name, last name, date of birth.

use contract::profile::{validate_birth_date, validate_name};
use contract::{FieldProblem, ProfileUpdate};
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::{Shell, TextField};
use crate::error::{AppError, field_message};
use crate::format::today_iso;
use crate::hooks::{use_page_title, use_submit};
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::invite_keys::after_sign_in;
use crate::state::session::use_session;

#[component]
pub fn WelcomePage() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.is_signed_in() {
            view! { <Redirect path=routes::SIGN_IN /> }.into_any()
        } else if session.profile_complete() {
            view! { <Redirect path=after_sign_in() /> }.into_any()
        } else {
            view! { <ProfileForm /> }.into_any()
        }
    }
}

const FIELDS: [&str; 3] = ["first_name", "last_name", "birth_date"];

#[component]
fn ProfileForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Stored so that the closures using it stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    use_page_title(move || i18n.t().profile_title.to_string());

    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<(&'static str, FieldProblem)>::new());
    let failure = RwSignal::new(None::<AppError>);
    let inputs: [NodeRef<Input>; 3] = [NodeRef::new(), NodeRef::new(), NodeRef::new()];

    let show_problems = move |found: Vec<(&'static str, FieldProblem)>| {
        let first = FIELDS.iter().position(|field| found.iter().any(|(f, _)| f == field));
        if let Some(input) = first.and_then(|i| inputs[i].get_untracked()) {
            let _ = input.focus();
        }
        problems.set(found);
    };

    let save = use_submit();
    let send = move |profile: ProfileUpdate| {
        save.run(async move {
            match api::save_profile(profile).await {
                Ok(me) => {
                    session.set(me);
                    navigate.with_value(|navigate| navigate(&after_sign_in(), Default::default()));
                }
                Err(error) => {
                    let found: Vec<_> =
                        FIELDS.into_iter().filter_map(|f| error.problem_of(f).map(|p| (f, p))).collect();
                    if found.is_empty() {
                        failure.set(Some(error));
                    } else {
                        show_problems(found);
                    }
                }
            }
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let checked = [
            validate_name(&first_name.get_untracked()),
            validate_name(&last_name.get_untracked()),
            validate_birth_date(&birth_date.get_untracked(), &today_iso()),
        ];
        let found: Vec<_> =
            FIELDS.into_iter().zip(&checked).filter_map(|(f, r)| r.as_ref().err().map(|p| (f, *p))).collect();
        if !found.is_empty() {
            show_problems(found);
            return;
        }
        problems.set(Vec::new());
        let [first_name, last_name, birth_date] = checked.map(Result::unwrap_or_default);
        send(ProfileUpdate { first_name, last_name, birth_date });
    };

    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            problems.with(|list| {
                list.iter().find(|(f, _)| *f == field).map(|(_, p)| field_message(*p, i18n.t()).to_string())
            })
        })
    };

    view! {
        <Shell>
            <div class="page-center">
                <div class="card">
                    {move || {
                        let t = i18n.t();
                        view! {
                            <h1>{t.profile_title}</h1>
                            <p class="lead">{t.profile_lead}</p>
                            <form class="form" on:submit=on_submit novalidate>
                                <TextField
                                    id="first_name"
                                    label=t.first_name_label
                                    value=first_name
                                    error=error_of("first_name")
                                    autocomplete="given-name"
                                    maxlength=60
                                    node_ref=inputs[0]
                                />
                                <TextField
                                    id="last_name"
                                    label=t.last_name_label
                                    value=last_name
                                    error=error_of("last_name")
                                    autocomplete="family-name"
                                    maxlength=60
                                    node_ref=inputs[1]
                                />
                                <TextField
                                    id="birth_date"
                                    label=t.birth_date_label
                                    value=birth_date
                                    error=error_of("birth_date")
                                    input_type="date"
                                    autocomplete="bday"
                                    min="1900-01-01"
                                    max=today_iso()
                                    node_ref=inputs[2]
                                />
                                {move || failure.get().map(|e| view! { <p class="alert" role="alert">{e.message(t)}</p> })}
                                <button
                                    type="submit"
                                    class="button button--primary button--block"
                                    disabled=move || save.pending()
                                >
                                    {move || if save.pending() { t.saving } else { t.save_profile }}
                                </button>
                            </form>
                            <p class="note">{t.profile_privacy}</p>
                        }
                    }}
                </div>
            </div>
        </Shell>
    }
}

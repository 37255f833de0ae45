//! «Информация»: the school's name, region and contacts, and the link to its electronic journal, which
//! every member then finds in the app.

use contract::{FieldProblem, SCHOOL_FIELD_MAX_CHARS, SchoolInfo};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{ErrorNotice, Loading, TextField};
use crate::error::{AppError, field_message};
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, use_i18n};

#[component]
pub fn InfoPage(school_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_info.to_string());
    let info = use_load(move || api::admin::school_info(school_id));
    view! {
        <section class="screen" aria-labelledby="info-heading">
            <h1 id="info-heading">{move || i18n.t().admin_info}</h1>
            {move || match info.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(current)) => view! { <InfoForm school_id=school_id current=current /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || info.refetch() /> }.into_any(),
            }}
        </section>
    }
}

/// The fields of the form, in order, with the request's field names.
const FIELDS: [&str; 9] =
    ["name", "short_name", "region", "municipality", "address", "phone", "email", "website", "journal_url"];

fn problem_text(field: &str, problem: FieldProblem, t: &'static Strings) -> &'static str {
    match (field, problem) {
        ("phone", FieldProblem::Required) => field_message(problem, t),
        ("phone", _) => t.error_invalid_phone,
        ("email", FieldProblem::InvalidCharacters | FieldProblem::NotAllowed | FieldProblem::Unknown) => {
            t.school_email_invalid
        }
        ("website" | "journal_url", FieldProblem::InvalidCharacters | FieldProblem::NotAllowed | FieldProblem::Unknown) => {
            t.school_url_invalid
        }
        _ => field_message(problem, t),
    }
}

#[component]
fn InfoForm(school_id: i64, current: SchoolInfo) -> impl IntoView {
    let class = style! {
        .info-form {
            max-width: 40rem;
        }
        .saved {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let text = |value: &Option<String>| RwSignal::new(value.clone().unwrap_or_default());
    let values: [RwSignal<String>; 9] = [
        RwSignal::new(current.name.clone()),
        text(&current.short_name),
        text(&current.region),
        text(&current.municipality),
        text(&current.address),
        text(&current.phone),
        text(&current.email),
        text(&current.website),
        text(&current.journal_url),
    ];
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let saving = use_submit();
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            failure.with(|f| f.as_ref().and_then(|e| e.problem_of(field)).map(|p| problem_text(field, p, i18n.t()).to_string()))
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [name, short_name, region, municipality, address, phone, email, website, journal_url] =
            values.map(|v| v.get_untracked().trim().to_string());
        let optional = |value: String| (!value.is_empty()).then_some(value);
        let body = SchoolInfo {
            id: school_id,
            name,
            short_name: optional(short_name),
            region: optional(region),
            municipality: optional(municipality),
            address: optional(address),
            phone: optional(phone),
            email: optional(email),
            website: optional(website),
            journal_url: optional(journal_url),
        };
        saved.set(false);
        saving.run(async move {
            match api::admin::save_school_info(school_id, body).await {
                Ok(info) => {
                    failure.set(None);
                    saved.set(true);
                    // Show what the server kept (a phone normalised, `https://` added).
                    let kept = [
                        Some(info.name),
                        info.short_name,
                        info.region,
                        info.municipality,
                        info.address,
                        info.phone,
                        info.email,
                        info.website,
                        info.journal_url,
                    ];
                    for (signal, value) in values.iter().zip(kept) {
                        signal.set(value.unwrap_or_default());
                    }
                }
                Err(error) => {
                    // Focus the first wrong field, so a keyboard or screen-reader user lands on it.
                    if let Some(field) = FIELDS.iter().find(|f| error.problem_of(f).is_some()) {
                        focus_field(field);
                    }
                    failure.set(Some(error));
                }
            }
        });
    };
    let max = SCHOOL_FIELD_MAX_CHARS as u32;
    move || {
        let t = i18n.t();
        let general = move || {
            failure.with(|f| {
                f.as_ref().filter(|e| FIELDS.iter().all(|field| e.problem_of(field).is_none())).map(|e| e.message(i18n.t()))
            })
        };
        view! { class=class,
            <form class="form info-form" novalidate on:submit=on_submit>
                <TextField id="school-name" label=t.school_name value=values[0] error=field_error("name") maxlength=200 />
                <TextField id="school-short_name" label=t.school_short_name hint=t.school_short_name_hint value=values[1] error=field_error("short_name") maxlength=max />
                <TextField id="school-region" label=t.school_region value=values[2] error=field_error("region") maxlength=max />
                <TextField id="school-municipality" label=t.school_municipality value=values[3] error=field_error("municipality") maxlength=max />
                <TextField id="school-address" label=t.school_address value=values[4] error=field_error("address") autocomplete="street-address" maxlength=max />
                <TextField id="school-phone" label=t.school_phone hint=t.phone_hint value=values[5] error=field_error("phone") input_type="tel" inputmode="tel" />
                <TextField id="school-email" label=t.school_email value=values[6] error=field_error("email") input_type="email" maxlength=max />
                <TextField id="school-website" label=t.school_website hint=t.school_url_hint value=values[7] error=field_error("website") input_type="url" maxlength=max />
                <TextField id="school-journal_url" label=t.school_journal hint=t.school_journal_hint value=values[8] error=field_error("journal_url") input_type="url" maxlength=max />
                <p class="alert" role="alert" hidden=move || general().is_none()>{general}</p>
                <div class="row">
                    <button type="submit" class="button button--primary" disabled=move || saving.pending()>
                        {t.save}
                    </button>
                    <span class="saved" role="status">{move || saved.get().then_some(i18n.t().school_saved)}</span>
                </div>
            </form>
        }
    }
}

fn focus_field(field: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .get_element_by_id(&format!("school-{field}"))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}

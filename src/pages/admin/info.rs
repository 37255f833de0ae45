//! «Информация»: the school's logo, name, region and contacts, and the link to its electronic journal,
//! which every member then finds in the app.

use contract::{FieldProblem, SCHOOL_FIELD_MAX_CHARS, SchoolInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;

use crate::api::{self, Uploaded};
use crate::components::{ErrorNotice, Loading, TextField};
use crate::error::{AppError, field_message};
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, fill, use_i18n};
use crate::state::session::use_session;

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
                Some(Ok(current)) => {
                    let logo = current.logo;
                    view! {
                        <LogoField school_id=school_id logo=logo />
                        <InfoForm school_id=school_id current=current />
                    }
                    .into_any()
                }
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
        (
            "website" | "journal_url",
            FieldProblem::InvalidCharacters | FieldProblem::NotAllowed | FieldProblem::Unknown,
        ) => t.school_url_invalid,
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
            failure.with(|f| {
                f.as_ref()
                    .and_then(|e| e.problem_of(field))
                    .map(|p| problem_text(field, p, i18n.t()).to_string())
            })
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
            logo: None,
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
                f.as_ref()
                    .filter(|e| FIELDS.iter().all(|field| e.problem_of(field).is_none()))
                    .map(|e| e.message(i18n.t()))
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

/// Image kinds a logo may be: what the server decodes.
const LOGO_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

/// «Логотип»: the current one, and choose an image to replace it, or remove it. Every member then sees
/// it beside the school's name.
#[component]
fn LogoField(school_id: i64, logo: Option<i64>) -> impl IntoView {
    let class = style! {
        .logo {
            max-width: 40rem;
            margin-bottom: var(--space-6);
        }
        h2 {
            margin: 0 0 var(--space-2);
            font-size: 1.125rem;
        }
        .row {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-3);
        }
        img,
        .empty {
            width: 6rem;
            height: 6rem;
            object-fit: contain;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
        }
        .empty {
            display: flex;
            align-items: center;
            justify-content: center;
            color: var(--text-muted);
            font-size: 0.875rem;
            text-align: center;
        }
        .hint {
            margin: var(--space-2) 0 0;
            color: var(--text-muted);
        }
        input[type="file"] {
            position: absolute;
            width: 1px;
            height: 1px;
            opacity: 0;
        }
        input[type="file"]:focus-visible + label {
            outline: 3px solid var(--focus);
            outline-offset: 2px;
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(logo);
    let status = RwSignal::new(None::<&'static str>);
    let failure = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<f64>);
    let removing = use_submit();
    // The school card reads the logo from the session: keep it in step without asking again.
    let remember = move |logo: Option<i64>| {
        version.set(logo);
        if let Some(mut me) = session.me() {
            for membership in &mut me.schools {
                if membership.school.id == school_id {
                    membership.school.logo = logo;
                }
            }
            session.set(me);
        }
    };
    let on_choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // The same file chosen again must fire `change` again.
        input.set_value("");
        let t = i18n.t_untracked();
        let name = file.name();
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        status.set(None);
        if !LOGO_EXTENSIONS.contains(&extension.as_str()) {
            failure.set(Some(fill(t.logo_not_image, &[("name", &name)])));
            return;
        }
        if file.size() > contract::FILE_MAX_BYTES as f64 {
            let max = (contract::FILE_MAX_BYTES / 1024 / 1024).to_string();
            failure.set(Some(fill(t.file_too_large_named, &[("name", &name), ("max", &max)])));
            return;
        }
        failure.set(None);
        progress.set(Some(0.0));
        let uploading = api::upload(&file, false, move |sent, total| {
            let _ = progress.try_set(Some(if total > 0.0 { sent / total } else { 0.0 }));
        });
        match uploading {
            Ok((_, outcome)) => spawn_local(async move {
                let result = match outcome.await {
                    Uploaded::Done(info) => api::admin::set_logo(school_id, info.id).await.map(Some),
                    Uploaded::Failed(error) => Err(error),
                    Uploaded::Cancelled => Ok(None),
                };
                let _ = progress.try_set(None);
                match result {
                    Ok(Some(info)) => {
                        remember(info.logo);
                        let _ = status.try_set(Some(i18n.t_untracked().logo_saved));
                    }
                    Ok(None) => {}
                    Err(error) => {
                        let t = i18n.t_untracked();
                        let text = if error.problem_of("file_id").is_some() {
                            fill(t.logo_not_image, &[("name", &name)])
                        } else {
                            error.message(t).to_string()
                        };
                        let _ = failure.try_set(Some(text));
                    }
                }
            }),
            Err(error) => {
                progress.set(None);
                failure.set(Some(error.message(t).to_string()));
            }
        }
    };
    let remove = move |_| {
        status.set(None);
        failure.set(None);
        removing.run(async move {
            match api::admin::remove_logo(school_id).await {
                Ok(()) => {
                    remember(None);
                    status.set(Some(i18n.t_untracked().logo_removed));
                }
                Err(error) => failure.set(Some(error.message(i18n.t_untracked()).to_string())),
            }
        });
    };
    let accept = LOGO_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(",");
    move || {
        let t = i18n.t();
        let picture = match version.get() {
            Some(v) => view! { class=class, <img src=api::admin::logo_url(school_id, v) alt=t.logo_alt /> }
                .into_any(),
            None => view! { class=class, <span class="empty">{t.logo_none}</span> }.into_any(),
        };
        let busy = move || progress.get().is_some() || removing.pending();
        view! { class=class,
            <section class="logo" aria-labelledby="logo-heading">
                <h2 id="logo-heading">{t.logo_title}</h2>
                <div class="row">
                    {picture}
                    <input id="logo-file" type="file" accept=accept.clone() on:change=on_choose disabled=busy aria-describedby="logo-hint" />
                    <label class="button" for="logo-file">
                        {if version.get().is_some() { t.logo_replace } else { t.logo_choose }}
                    </label>
                    {version.get().is_some().then(|| view! {
                        <button type="button" class="button button--ghost" on:click=remove disabled=busy>{t.logo_remove}</button>
                    })}
                </div>
                <p class="hint" id="logo-hint">{t.logo_hint}</p>
                <p class="hint" role="status">
                    {move || match progress.get() {
                        Some(part) => Some(fill(i18n.t().logo_uploading, &[("percent", &((part * 100.0).round() as u32).to_string())])),
                        None => status.get().map(str::to_string),
                    }}
                </p>
                <p class="alert" role="alert" hidden=move || failure.with(Option::is_none)>{move || failure.get()}</p>
            </section>
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

//! Sign in with a phone number and a one-time code. The same screen signs up a new person: the
//! backend answers alike whether the number is known or not. A young student without a phone takes
//! the code from a parent's e-mail instead, and then says who signs in (siblings share the address).

use contract::{ChildProfile, CodeSent, EmailProfiles, ErrorCode, FieldProblem, Me};
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use leptos_use::use_interval_fn;
use serde::{Deserialize, Serialize};
use stylers_macro::style;

use crate::components::{Shell, TextField};
use crate::error::{AppError, field_message};
use crate::hooks::{use_page_title, use_submit};
use crate::i18n::{fill, use_i18n};
use crate::state::invite_keys::{self, after_sign_in};
use crate::state::session::use_session;
use crate::{api, chunks, routes};

/// Where the sign-in stands, kept in `sessionStorage` so a reload (or the phone switching apps to read
/// the code) loses neither the number nor the step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Progress {
    phone: String,
    /// The parent's address, for a young student.
    #[serde(default)]
    email: String,
    /// The code goes to `email` rather than `phone`.
    #[serde(default)]
    by_email: bool,
    /// Set once a code was sent; its `phone` is the address when `by_email`.
    sent: Option<CodeSent>,
    /// When the code was sent, `Date.now()` milliseconds.
    sent_at: f64,
}

const PROGRESS_KEY: &str = "parta.signin";

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn load_progress() -> Progress {
    let saved = session_storage().and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten());
    let progress: Progress = saved.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    // A code past its lifetime is useless: start again at the number, which is kept.
    match &progress.sent {
        Some(sent)
            if js_sys::Date::now() > progress.sent_at + f64::from(sent.expires_in_seconds) * 1000.0 =>
        {
            Progress { sent: None, ..progress }
        }
        _ => progress,
    }
}

fn save_progress(progress: &Progress) {
    if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(PROGRESS_KEY, &json);
    }
}

fn clear_progress() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(PROGRESS_KEY);
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.is_signed_in() {
            view! { <SignInForm /> }.into_any()
        } else {
            let to = if session.profile_complete() { after_sign_in() } else { routes::WELCOME.to_string() };
            view! { <Redirect path=to /> }.into_any()
        }
    }
}

/// What is wrong with the phone (or e-mail) step.
#[derive(Clone, Debug, PartialEq)]
enum PhoneProblem {
    Missing,
    /// Not a Russian number (not an address), found before asking the server.
    Malformed,
    /// The server refused (rate limit, network, …).
    Refused(AppError),
}

#[component]
fn SignInForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Stored so that the closures using it stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    use_page_title(move || i18n.t().sign_in_title.to_string());

    let saved = load_progress();
    let phone = RwSignal::new(saved.phone.clone());
    let email = RwSignal::new(saved.email.clone());
    let by_email = RwSignal::new(saved.by_email);
    // After a right e-mail code: the children of the address to choose from. Not kept over a reload:
    // its ticket lives 10 minutes, and a new code is quick to get.
    let profiles = RwSignal::new(None::<EmailProfiles>);
    let code = RwSignal::new(String::new());
    let sent = RwSignal::new(saved.sent.clone());
    let sent_at = RwSignal::new(saved.sent_at);
    // Problems are kept as what went wrong, not as text, so a language switch translates them too.
    let phone_problem = RwSignal::new(None::<PhoneProblem>);
    let code_error = RwSignal::new(None::<AppError>);
    // Set when the typed code does not have the expected number of digits.
    let code_problem = RwSignal::new(None::<usize>);
    let resent = RwSignal::new(false);
    let phone_input = NodeRef::<Input>::new();
    let code_input = NodeRef::<Input>::new();

    // The resend countdown ticks once a second.
    let now = RwSignal::new(js_sys::Date::now());
    let _ = use_interval_fn(move || now.set(js_sys::Date::now()), 1000);
    let resend_in = move || {
        sent.with(|s| {
            s.as_ref().map_or(0, |s| {
                let ready_at = sent_at.get() + f64::from(s.resend_after_seconds) * 1000.0;
                ((ready_at - now.get()) / 1000.0).ceil().max(0.0) as u32
            })
        })
    };

    Effect::new(move |_| {
        save_progress(&Progress {
            phone: phone.get(),
            email: email.get(),
            by_email: by_email.get(),
            sent: sent.get(),
            sent_at: sent_at.get(),
        });
    });

    let send_code = use_submit();
    let request_code = move |to: String| {
        send_code.run(async move {
            let answer = if by_email.get_untracked() {
                api::request_email_code(to).await
            } else {
                api::request_code(to).await
            };
            match answer {
                Ok(code_sent) => {
                    chunks::prefetch_for_sign_in(invite_keys::joining().is_some());
                    resent.set(sent.get_untracked().is_some());
                    sent.set(Some(code_sent));
                    sent_at.set(js_sys::Date::now());
                    now.set(js_sys::Date::now());
                    code_error.set(None);
                    code_problem.set(None);
                    code.set(String::new());
                    // The code field may only be drawn by this very change: focus it once it is.
                    request_animation_frame(move || {
                        if let Some(input) = code_input.get_untracked() {
                            let _ = input.focus();
                        }
                    });
                }
                Err(error) => {
                    if sent.get_untracked().is_some() {
                        code_error.set(Some(error));
                    } else {
                        phone_problem.set(Some(PhoneProblem::Refused(error)));
                        if let Some(input) = phone_input.get_untracked() {
                            let _ = input.focus();
                        }
                    }
                }
            }
        });
    };

    let signed_in = move |me: Me| {
        clear_progress();
        let to = if me.user.profile_complete { after_sign_in() } else { routes::WELCOME.to_string() };
        session.set(me);
        navigate.with_value(|navigate| navigate(&to, Default::default()));
    };

    let sign_in = use_submit();
    let exchange_code = move |to: String, digits: String| {
        sign_in.run(async move {
            let answer = if by_email.get_untracked() {
                match api::email_sign_in(to, digits).await {
                    // The first child of an address has nobody to choose from.
                    Ok(found) if found.children.is_empty() => api::choose_profile(found.ticket, None).await,
                    Ok(found) => {
                        profiles.set(Some(found));
                        return;
                    }
                    Err(error) => Err(error),
                }
            } else {
                api::sign_in(to, digits).await
            };
            match answer {
                Ok(me) => signed_in(me),
                Err(error) => {
                    code_error.set(Some(error));
                    if let Some(input) = code_input.get_untracked() {
                        input.select();
                    }
                }
            }
        });
    };

    let choice = use_submit();
    let choose = move |child_id: Option<i64>| {
        let Some(ticket) = profiles.with_untracked(|p| p.as_ref().map(|p| p.ticket.clone())) else {
            return;
        };
        choice.run(async move {
            match api::choose_profile(ticket, child_id).await {
                Ok(me) => signed_in(me),
                // The ticket is spent or old: back to a new code.
                Err(error) => {
                    profiles.set(None);
                    code_error.set(Some(error));
                }
            }
        });
    };

    let on_phone_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email_mode = by_email.get_untracked();
        let typed = if email_mode { email.get_untracked() } else { phone.get_untracked() };
        let well_formed = if email_mode {
            contract::email::normalize(&typed).is_some()
        } else {
            contract::phone::normalize(&typed).is_some()
        };
        if typed.trim().is_empty() {
            phone_problem.set(Some(PhoneProblem::Missing));
        } else if !well_formed {
            phone_problem.set(Some(PhoneProblem::Malformed));
        } else {
            phone_problem.set(None);
            request_code(typed);
            return;
        }
        if let Some(input) = phone_input.get_untracked() {
            let _ = input.focus();
        }
    };

    let on_code_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let digits: String = code.get_untracked().chars().filter(|c| !c.is_whitespace()).collect();
        let length = sent.with_untracked(|s| s.as_ref().map_or(6, |s| s.code_length as usize));
        if digits.len() != length || !digits.bytes().all(|b| b.is_ascii_digit()) {
            code_problem.set(Some(length));
            if let Some(input) = code_input.get_untracked() {
                let _ = input.focus();
            }
            return;
        }
        code_problem.set(None);
        code_error.set(None);
        let to = sent.with_untracked(|s| s.as_ref().map(|s| s.phone.clone())).unwrap_or_default();
        exchange_code(to, digits);
    };

    let change_number = move |_: leptos::ev::MouseEvent| {
        sent.set(None);
        profiles.set(None);
        code.set(String::new());
        code_error.set(None);
        code_problem.set(None);
        resent.set(false);
    };

    let resend = move |_: leptos::ev::MouseEvent| {
        if let Some(to) = sent.with_untracked(|s| s.as_ref().map(|s| s.phone.clone())) {
            request_code(to);
        }
    };

    let switch_mode = move |_: leptos::ev::MouseEvent| {
        by_email.update(|b| *b = !*b);
        phone_problem.set(None);
    };

    // A code that can no longer work needs a new one, not another try.
    let code_is_dead = move || {
        code_error.with(|e| {
            matches!(
                e.as_ref().and_then(AppError::code),
                Some(ErrorCode::CodeExpired | ErrorCode::TooManyAttempts)
            )
        })
    };
    let code_field_error = Signal::derive(move || {
        let t = i18n.t();
        match code_problem.get() {
            Some(length) => Some(fill(t.code_format, &[("n", &length.to_string())])),
            None => code_error.with(|e| e.as_ref().filter(|_| !code_is_dead()).map(|e| e.message(t))),
        }
    });
    let phone_error = Signal::derive(move || {
        let t = i18n.t();
        phone_problem.with(|problem| {
            let email_mode = by_email.get();
            problem.as_ref().map(|problem| match problem {
                PhoneProblem::Missing if email_mode => t.email_required.to_string(),
                PhoneProblem::Missing => t.phone_required.to_string(),
                PhoneProblem::Malformed if email_mode => t.error_invalid_email.to_string(),
                PhoneProblem::Malformed => t.error_invalid_phone.to_string(),
                PhoneProblem::Refused(error) => match error.problem_of("email") {
                    Some(FieldProblem::TooLong) => field_message(FieldProblem::TooLong, t).to_string(),
                    Some(FieldProblem::Required) => t.email_required.to_string(),
                    Some(_) => t.error_invalid_email.to_string(),
                    None => error.message(t),
                },
            })
        })
    });

    // Only a change of step redraws the card; a resent code keeps the field and its focus.
    let step = Memo::new(move |_| match (profiles.with(Option::is_some), sent.with(Option::is_some)) {
        (true, _) => Step::Choose,
        (false, true) => Step::Code,
        (false, false) => Step::Address,
    });

    let phone_step = move || {
        let t = i18n.t();
        let email_mode = by_email.get();
        let field = if email_mode {
            view! {
                <TextField
                    id="email"
                    label=t.parent_email_label
                    hint=t.parent_email_hint
                    value=email
                    error=phone_error
                    input_type="email"
                    autocomplete="email"
                    inputmode="email"
                    maxlength=254
                    node_ref=phone_input
                />
            }
            .into_any()
        } else {
            view! {
                <TextField
                    id="phone"
                    label=t.phone_label
                    hint=t.phone_hint
                    value=phone
                    error=phone_error
                    input_type="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    maxlength=32
                    node_ref=phone_input
                />
            }
            .into_any()
        };
        view! {
            <h1>{if email_mode { t.sign_in_by_email_title } else { t.sign_in_title }}</h1>
            <p class="lead">{if email_mode { t.sign_in_by_email_lead } else { t.sign_in_lead }}</p>
            <form class="form" on:submit=on_phone_submit novalidate>
                {field}
                <button
                    type="submit"
                    class="button button--primary button--block"
                    disabled=move || send_code.pending()
                >
                    {move || if send_code.pending() { t.sending_code } else { t.get_code }}
                </button>
            </form>
            <p class="note">
                <button type="button" class="button button--ghost" on:click=switch_mode>
                    {if email_mode { t.sign_in_by_phone } else { t.sign_in_by_email }}
                </button>
            </p>
            // Sign-in can wait: the invite comes first, and asks for it on the way.
            <p class="note"><a href=routes::SCAN>{t.scan_title}</a></p>
            <p class="note">{t.sign_in_privacy}</p>
        }
    };

    let code_step = move || {
        let t = i18n.t();
        let email_mode = by_email.get_untracked();
        let to = sent.with_untracked(|s| s.as_ref().map(|s| s.phone.clone())).unwrap_or_default();
        let lead = if email_mode {
            fill(t.code_sent_to_email, &[("email", &to)])
        } else {
            // No-break spaces and hyphens: a number split over two lines is hard to check at a glance.
            let number = contract::phone::display(&to).replace(' ', "\u{a0}").replace('-', "\u{2011}");
            fill(t.code_sent_to, &[("phone", &number)])
        };
        view! {
            <h1>{t.code_title}</h1>
            <p class="lead">{lead}</p>
            <form class="form" on:submit=on_code_submit novalidate>
                <TextField
                    id="code"
                    label=t.code_label
                    value=code
                    error=code_field_error
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    // Room for a pasted "123 456"; the spaces are dropped before sending.
                    maxlength=12
                    node_ref=code_input
                />
                {move || code_is_dead().then(|| view! {
                    <p class="alert" role="alert">{code_error.get().map(|e| e.message(t))}</p>
                })}
                <button
                    type="submit"
                    class="button button--primary button--block"
                    disabled=move || sign_in.pending()
                >
                    {move || if sign_in.pending() { t.signing_in } else { t.sign_in }}
                </button>
                <div class="row">
                    <button
                        type="button"
                        class="button button--ghost"
                        disabled=move || { resend_in() > 0 || send_code.pending() }
                        on:click=resend
                    >
                        {move || match resend_in() {
                            0 => t.resend_code.to_string(),
                            s => fill(t.resend_code_in, &[("seconds", &s.to_string())]),
                        }}
                    </button>
                    <button type="button" class="button button--ghost" on:click=change_number>
                        {if email_mode { t.change_email } else { t.change_number }}
                    </button>
                </div>
                <p class="visually-hidden" role="status">{move || resent.get().then_some(t.code_resent)}</p>
            </form>
        }
    };

    // «Кто входит?»: whoever has the code reads the parent's mailbox, so the children's names are theirs
    // to see.
    view! {
        <Shell>
            <div class="page-center">
                <div class="card">
                    {move || match step.get() {
                        Step::Choose => {
                            let children = profiles
                                .with_untracked(|p| p.as_ref().map(|p| p.children.clone()))
                                .unwrap_or_default();
                            view! {
                                <ProfileChoice
                                    children=children
                                    pending=Signal::derive(move || choice.pending())
                                    on_choose=Callback::new(choose)
                                />
                            }
                            .into_any()
                        }
                        Step::Code => code_step().into_any(),
                        Step::Address => phone_step().into_any(),
                    }}
                </div>
            </div>
        </Shell>
    }
}

/// «Кто входит?»: whoever has the code reads the parent's mailbox, so the children's names are theirs
/// to see.
#[component]
fn ProfileChoice(
    /// The children registered with the address.
    children: Vec<ChildProfile>,
    /// A choice is being signed in.
    pending: Signal<bool>,
    /// Called with the child chosen, or `None` for a new profile.
    on_choose: Callback<Option<i64>>,
) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        let choices = children
            .iter()
            .map(|child| {
                let name = format!("{} {}", child.first_name, child.last_name);
                let id = child.id;
                view! { class=class,
                    <li>
                        <button
                            type="button"
                            class="button button--block"
                            disabled=move || pending.get()
                            on:click=move |_| on_choose.run(Some(id))
                        >
                            {name}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { class=class,
            <h1>{t.who_signs_in}</h1>
            <p class="lead">{t.who_signs_in_lead}</p>
            <ul role="list">
                {choices}
                <li>
                    <button
                        type="button"
                        class="button button--ghost button--block"
                        disabled=move || pending.get()
                        on:click=move |_| on_choose.run(None)
                    >
                        {t.new_profile}
                    </button>
                </li>
            </ul>
        }
    }
}

/// Which card the sign-in shows.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    Address,
    Code,
    Choose,
}

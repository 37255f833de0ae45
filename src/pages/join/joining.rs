//! The steps of joining by an invite that a signed-in person takes: one tap to join (with the child's
//! name where the invite asks for it), a request waiting for approval whose outcome arrives over the
//! live connection, and a parent's link opened by the child. A chunk of their own (`crate::chunks`):
//! the landing page around them (`join_page.rs`) is what a parent opens first.

use contract::{InviteKey, InvitePreview, JoinBody, JoinOutcome, RequestStatus, ServerEvent};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::TextField;
use crate::error::{AppError, field_message};
use crate::hooks::use_submit;
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::connection::{ConnectionState, provide_connection};
use crate::state::invite_keys::{joining, stop_joining};
use crate::state::session::use_session;

/// Where a signed-in person stands with an invite.
pub enum JoinStep {
    /// May join: the key, and what the invite asks for.
    Form(InviteKey, InvitePreview),
    /// Asked to join; the request waits for a decision.
    Waiting(i64),
    /// A parent's invite, opened by the very child it is for.
    MixUp,
}

/// The step's view.
pub fn step(step: JoinStep) -> AnyView {
    match step {
        JoinStep::Form(key, preview) => view! { <JoinForm key=key preview=preview /> }.into_any(),
        JoinStep::Waiting(request_id) => view! { <Waiting request_id=request_id /> }.into_any(),
        JoinStep::MixUp => view! { <MixUp /> }.into_any(),
    }
}

/// Signed in: one tap (plus the child's name where the invite asks for it).
#[component]
fn JoinForm(key: InviteKey, preview: InvitePreview) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let asks_child_name = preview.asks_child_name;
    let requires_approval = preview.requires_approval;
    let child_name = RwSignal::new(String::new());
    let child_problem = RwSignal::new(None::<contract::FieldProblem>);
    let failure = RwSignal::new(None::<AppError>);
    let pending = RwSignal::new(None::<i64>);
    let key = StoredValue::new(key);

    let submit = use_submit();
    let send = move || {
        let name = child_name.get_untracked().trim().to_string();
        if asks_child_name && name.is_empty() {
            child_problem.set(Some(contract::FieldProblem::Required));
            return;
        }
        child_problem.set(None);
        failure.set(None);
        let body = JoinBody { child_name: asks_child_name.then_some(name) };
        submit.run(async move {
            match api::join(key.get_value(), body).await {
                Ok(JoinOutcome::Joined { chat_id, .. } | JoinOutcome::AlreadyMember { chat_id, .. }) => {
                    stop_joining();
                    let to = chat_id.map_or_else(|| routes::HOME.to_string(), routes::chat);
                    navigate.try_with_value(|navigate| navigate(&to, Default::default()));
                    refresh_profile(session).await;
                }
                Ok(JoinOutcome::Pending { request }) => {
                    stop_joining();
                    let _ = pending.try_set(Some(request.id));
                }
                Err(error) => match error.problem_of("child_name") {
                    Some(problem) => drop(child_problem.try_set(Some(problem))),
                    None => drop(failure.try_set(Some(error))),
                },
            }
        });
    };
    // Back from signing in to use this very invite: they already said yes, unless a name is needed.
    if !asks_child_name && joining().as_ref() == Some(&key.get_value()) {
        send();
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let child_error =
        Signal::derive(move || child_problem.get().map(|p| field_message(p, i18n.t()).to_string()));
    move || {
        if let Some(request_id) = pending.get() {
            return view! { <Waiting request_id=request_id /> }.into_any();
        }
        let t = i18n.t();
        view! {
            <form class="form" on:submit=on_submit novalidate>
                {asks_child_name.then(|| view! {
                    <TextField
                        id="child_name"
                        label=t.join_child_name_label
                        hint=t.join_child_name_hint
                        value=child_name
                        error=child_error
                        autocomplete="off"
                        maxlength=100
                    />
                })}
                {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
                <button type="submit" class="button button--primary button--block" disabled=move || submit.pending()>
                    {if requires_approval { t.join_request } else { t.join_button }}
                </button>
            </form>
        }
        .into_any()
    }
}

/// A request waiting for approval; the decision arrives over the live connection.
#[component]
fn Waiting(request_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let connection = provide_connection();
    let rejected = RwSignal::new(false);
    // The live event and the check after (re)connecting may both report the decision: act once. And
    // once the page has moved on, this component is gone, so every later touch must allow for that.
    let handled = StoredValue::new(false);
    let decided = move |approved: bool, chat_id: Option<i64>| {
        if handled.try_update_value(|done| std::mem::replace(done, true)) != Some(false) {
            return;
        }
        if approved {
            let to = chat_id.map_or_else(|| routes::HOME.to_string(), routes::chat);
            navigate.try_with_value(|navigate| navigate(&to, Default::default()));
            leptos::task::spawn_local(refresh_profile(session));
        } else {
            let _ = rejected.try_set(true);
        }
    };
    Effect::new(move |_| {
        if let Some(ServerEvent::JoinRequestDecided { request_id: id, approved, chat_id, .. }) =
            connection.event()
            && id == request_id
        {
            decided(approved, chat_id);
        }
    });
    // A decision made while the connection was down sends no event this socket hears: each time it
    // is (re)established, ask how the request stands.
    Effect::new(move |_| {
        if connection.state() != ConnectionState::Online {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(mine) = api::my_join_requests().await else { return };
            match mine.into_iter().find(|r| r.id == request_id).map(|r| (r.status, r.chat_id)) {
                Some((RequestStatus::Approved, chat_id)) => decided(true, chat_id),
                Some((RequestStatus::Rejected, _)) => decided(false, None),
                _ => {}
            }
        });
    });
    move || {
        let t = i18n.t();
        if rejected.get() {
            view! {
                <div class="alert" role="alert" data-request="rejected">
                    <strong>{t.join_rejected_title}</strong>
                    <p>{t.join_rejected_text}</p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div role="status" data-request="pending">
                    <h2>{t.join_pending_title}</h2>
                    <p>{t.join_pending_text}</p>
                    <a class="button button--block" href=routes::HOME>{t.go_home}</a>
                </div>
            }
            .into_any()
        }
    }
}

/// A parent's link opened by the child it is for: explain, and offer to sign out so the parent can
/// sign in on this device.
#[component]
fn MixUp() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let sign_out = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let on_sign_out = move |_| {
        sign_out.run(async move {
            match api::sign_out().await {
                Ok(()) => {
                    session.clear();
                    navigate.with_value(|navigate| navigate(routes::SIGN_IN, Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    move || {
        let t = i18n.t();
        view! {
            <div role="alert">
                <h2>{t.join_mix_up_title}</h2>
                <p>{t.join_mix_up_text}</p>
            </div>
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            <button type="button" class="button button--primary button--block" on:click=on_sign_out disabled=move || sign_out.pending()>
                {t.join_mix_up_sign_out}
            </button>
            <a class="button button--block" href=routes::HOME>{t.go_home}</a>
        }
    }
}

/// Reads `/me` again once a join changed the person's schools. Called after leaving the join page, so
/// the session is the only thing it touches.
async fn refresh_profile(session: crate::state::session::Session) {
    if let Ok(Some(me)) = api::me().await {
        session.set(me);
    }
}

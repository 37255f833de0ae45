//! `/join/<key>`: what an invite is for, shown before anything is asked; then sign-in and the profile
//! if needed (the key waits in the tab's storage), then one tap to join — or a request that waits for
//! approval, whose outcome arrives live.

use contract::{
    ErrorCode, InviteKey, InvitePreview, InviteTarget, InviteViewer, JoinBody, JoinOutcome, RequestStatus,
    ServerEvent,
};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};
use stylers_macro::style;

use crate::api;
use crate::components::{ErrorNotice, Loading, Shell, TeacherBadge, TextField};
use crate::error::{AppError, field_message};
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::chats::role_name;
use crate::routes;
use crate::state::connection::{ConnectionState, provide_connection};
use crate::state::invite_keys::{joining, start_joining, stop_joining};
use crate::state::session::use_session;

#[component]
pub fn JoinPage() -> impl IntoView {
    let location = use_location();
    // The key as typed in the address; the route only matches `/join/<something>`. The location
    // changes before this page is gone: leaving for `/signin` must not read as a malformed key, whose
    // page would forget the invite being joined (`stop_joining`), so another path keeps the last key.
    let key = Memo::new(move |previous: Option<&Option<String>>| {
        location.pathname.with(|path| match path.strip_prefix("/join/") {
            Some(key) => Some(key.trim_end_matches('/').to_string()),
            None => previous.cloned().flatten(),
        })
    });
    move || match key.get().as_deref().and_then(InviteKey::parse) {
        Some(key) => view! { <Invitation key=key /> }.into_any(),
        None => view! { <Problem code=ErrorCode::InviteMalformed /> }.into_any(),
    }
}

#[component]
fn Invitation(key: InviteKey) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().join_title.to_string());
    let preview = {
        let key = key.clone();
        use_load(move || api::preview(key.clone()))
    };
    let key = StoredValue::new(key);
    move || {
        match preview.get() {
        None => view! { <Shell><Loading /></Shell> }.into_any(),
        Some(Ok(preview_data)) => {
            view! { <Preview key=key.get_value() preview=preview_data on_changed=move || preview.refetch() /> }
                .into_any()
        }
        Some(Err(error)) if is_invite_problem(&error) => {
            view! { <Problem code=error.code().unwrap_or(ErrorCode::InviteNotFound) /> }.into_any()
        }
        Some(Err(error)) => {
            view! { <Shell><ErrorNotice error=error on_retry=move || preview.refetch() /></Shell> }.into_any()
        }
    }
    }
}

/// Answers that mean "this key does not work", each with its own page.
fn is_invite_problem(error: &AppError) -> bool {
    matches!(
        error.code(),
        Some(
            ErrorCode::InviteMalformed
                | ErrorCode::InviteNotFound
                | ErrorCode::InviteExpired
                | ErrorCode::InviteUsedUp
                | ErrorCode::InviteRevoked
        )
    )
}

/// A key that does not work: what happened and what to do. Names nothing of any school.
#[component]
fn Problem(code: ErrorCode) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let title = move |t: &'static Strings| match code {
        ErrorCode::InviteExpired => t.invite_expired_title,
        ErrorCode::InviteUsedUp => t.invite_used_up_title,
        ErrorCode::InviteRevoked => t.invite_revoked_title,
        ErrorCode::InviteMalformed => t.invite_malformed_title,
        _ => t.invite_not_found_title,
    };
    use_page_title(move || title(i18n.t()).to_string());
    // Whoever sent the link is the one to ask; a wrong key may also have been mistyped from a sheet.
    stop_joining();
    view! {
        <Shell brand_links_home=session.is_signed_in()>
            <div class="page-center">
                {move || {
                    let t = i18n.t();
                    let text = AppError::Api {
                        status: 410,
                        error: contract::ApiError::new(code, ""),
                    }
                    .message(t);
                    let home = if session.is_signed_in() { routes::HOME } else { routes::SIGN_IN };
                    view! {
                        <div class="card">
                            <h1>{title(t)}</h1>
                            <p class="lead">{text}</p>
                            <div class="row">
                                <a class="button button--primary" href=routes::SCAN>{t.join_scan_again}</a>
                                <a class="button" href=home>
                                    {if session.is_signed_in() { t.go_home } else { t.sign_in_title }}
                                </a>
                            </div>
                        </div>
                    }
                }}
            </div>
        </Shell>
    }
}

#[component]
fn Preview(key: InviteKey, preview: InvitePreview, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let preview = StoredValue::new(preview);
    let key = StoredValue::new(key);
    // Only these decide what is drawn: joining updates the profile (`/me`), and redrawing then would
    // throw away the form or the waiting card in the middle of their work.
    let signed_in = Memo::new(move |_| session.is_signed_in());
    let complete = Memo::new(move |_| session.profile_complete());
    move || {
        let viewer = preview.with_value(|p| p.viewer.clone());
        if !signed_in.get() {
            return view! {
                <InviteCard preview=preview.get_value()>
                    <SignInToJoin key=key.get_value() />
                </InviteCard>
            }
            .into_any();
        }
        if !complete.get() {
            start_joining(&key.get_value());
            return view! { <Redirect path=routes::WELCOME /> }.into_any();
        }
        match viewer {
            // Signed in by now, but the preview was read before: read it again to learn where they stand.
            None => {
                on_changed.run(());
                view! { <Shell><Loading /></Shell> }.into_any()
            }
            Some(InviteViewer::AlreadyMember { chat_id, .. }) => {
                stop_joining();
                view! { <Redirect path=chat_id.map_or_else(|| routes::HOME.to_string(), routes::chat) /> }
                    .into_any()
            }
            Some(InviteViewer::Pending { request_id }) => view! {
                <InviteCard preview=preview.get_value()>
                    <Waiting request_id=request_id />
                </InviteCard>
            }
            .into_any(),
            Some(InviteViewer::IsTheChild) => view! {
                <InviteCard preview=preview.get_value()>
                    <MixUp />
                </InviteCard>
            }
            .into_any(),
            Some(InviteViewer::CanJoin | InviteViewer::Unknown) => view! {
                <InviteCard preview=preview.get_value()>
                    <JoinForm key=key.get_value() preview=preview.get_value() />
                </InviteCard>
            }
            .into_any(),
        }
    }
}

/// What the invite is for: school, place, role, who invited.
#[component]
fn InviteCard(preview: InvitePreview, children: Children) -> impl IntoView {
    let class = style! {
        .invite {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .school {
            margin: 0;
            color: var(--text-muted);
            font-weight: 600;
        }
        h1 {
            margin: 0;
        }
        dl {
            display: grid;
            grid-template-columns: auto 1fr;
            gap: var(--space-2) var(--space-4);
            margin: 0;
            padding: var(--space-3) var(--space-4);
            border-radius: var(--radius-s);
            background: var(--surface-sunken);
        }
        dt {
            color: var(--text-muted);
        }
        dd {
            margin: 0;
            font-weight: 600;
            overflow-wrap: anywhere;
        }
    };
    let i18n = use_i18n();
    let preview = StoredValue::new(preview);
    let details = move || {
        let t = i18n.t();
        preview.with_value(|p| {
            let place = match p.target {
                InviteTarget::School => t.join_place_staff,
                InviteTarget::Class { .. } => t.join_place_class,
                InviteTarget::Chat { .. } => t.join_place_chat,
            };
            view! { class=class,
                <p class="school">{p.school_name.clone()}</p>
                <h1>{fill(t.join_heading, &[("place", &p.target_name)])}</h1>
                <dl>
                    <dt>{place}</dt>
                    <dd>{p.target_name.clone()}</dd>
                    <dt>{t.join_role}</dt>
                    <dd>{role_name(p.role, t)}</dd>
                    {p.child_name.clone().map(|child| view! { class=class,
                        <dt>{t.join_child}</dt>
                        <dd>{child}</dd>
                    })}
                    <dt>{t.join_invited_by}</dt>
                    <dd>
                        {p.invited_by.clone()}
                        {p.invited_by_teacher_verified.then(|| view! { <TeacherBadge /> })}
                    </dd>
                    {p.label.clone().map(|label| view! { class=class,
                        <dt>{t.join_label}</dt>
                        <dd>{label}</dd>
                    })}
                </dl>
                {p.requires_approval.then(|| view! { <p class="note">{t.join_needs_approval}</p> })}
            }
        })
    };
    view! { class=class,
        <Shell brand_links_home=true>
            <div class="page-center">
                <div class="card invite">
                    {details}
                    {children()}
                </div>
            </div>
        </Shell>
    }
}

/// Signed out: one button into sign-in; the invite is remembered for the way back.
#[component]
fn SignInToJoin(key: InviteKey) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new_local(use_navigate());
    let key = StoredValue::new(key);
    let go = move |_| {
        start_joining(&key.get_value());
        navigate.with_value(|navigate| navigate(routes::SIGN_IN, Default::default()));
    };
    move || {
        let t = i18n.t();
        view! {
            <p>{t.join_sign_in_lead}</p>
            <button type="button" class="button button--primary button--block" on:click=go>
                {t.join_sign_in}
            </button>
        }
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

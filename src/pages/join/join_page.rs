//! `/join/<key>`: what an invite is for, shown before anything is asked; then sign-in and the profile
//! if needed (the key waits in the tab's storage), then one tap to join — or a request that waits for
//! approval, whose outcome arrives live.

use contract::{ErrorCode, InviteKey, InvitePreview, InviteTarget, InviteViewer};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};
use stylers_macro::style;

use super::joining::JoinStep;
use crate::components::{ErrorNotice, Loading, Shell, TeacherBadge};
use crate::error::AppError;
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::chats::role_name;
use crate::state::invite_keys::{start_joining, stop_joining};
use crate::state::session::use_session;
use crate::{api, chunks, first_screen, routes};

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
        None => {
            first_screen::hand_over();
            view! { <Problem code=ErrorCode::InviteMalformed /> }.into_any()
        }
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
    // index.html's first screen shows a landing page until the invite is known (`crate::first_screen`).
    Effect::new(move |_| {
        if preview.with(|answer| answer.is_some()) {
            first_screen::hand_over();
        }
    });
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
            Some(InviteViewer::Pending { request_id }) => joining(preview, JoinStep::Waiting(request_id)),
            Some(InviteViewer::IsTheChild) => joining(preview, JoinStep::MixUp),
            Some(InviteViewer::CanJoin | InviteViewer::Unknown) => {
                joining(preview, JoinStep::Form(key.get_value(), preview.get_value()))
            }
        }
    }
}

/// The invite's card with a step of joining it, which a signed-in person takes: these come with the
/// connection that tells a request's outcome live, in a chunk of their own (`crate::chunks`), so that
/// the landing page a parent opens first stays light.
fn joining(preview: StoredValue<InvitePreview>, step: JoinStep) -> AnyView {
    view! {
        <InviteCard preview=preview.get_value()>
            {Suspend::new(chunks::joining(step))}
        </InviteCard>
    }
    .into_any()
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

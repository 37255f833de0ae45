//! Every invite of a school the person may see, with its uses, requests, expiry and state; revoke one
//! or every unused one.

use contract::{Invite, InviteState, InviteTarget, RevokeUnused};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::format::long_date;
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::admin::{AdminFrame, Section, refetch_on_school_change};
use crate::pages::chats::role_name;
use crate::routes;
use crate::state::invite_keys::created_link;
use crate::state::session::use_session;

pub fn state_name(state: InviteState, t: &Strings) -> &'static str {
    match state {
        InviteState::Active => t.invite_state_active,
        InviteState::Expired => t.invite_state_expired,
        InviteState::UsedUp => t.invite_state_used_up,
        InviteState::Revoked | InviteState::Unknown => t.invite_state_revoked,
    }
}

/// "3 из 30" or "3".
pub fn uses_text(invite: &Invite, t: &Strings) -> String {
    match invite.max_uses {
        Some(max) => fill(t.invite_uses_of, &[("n", &invite.uses.to_string()), ("max", &max.to_string())]),
        None => invite.uses.to_string(),
    }
}

#[component]
pub fn InvitesScreen(school_id: i64) -> impl IntoView {
    let class = style! {
        header {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-2);
        }
        .done {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().invites_title.to_string());
    let invites = use_load(move || api::invites(school_id));
    // Uses and requests waiting are counted on each invite.
    refetch_on_school_change(school_id, move || invites.refetch());
    // The place whose links are shown (and revoked in bulk); all of them when none is chosen.
    let place = RwSignal::new(None::<InviteTarget>);
    let revoking = use_submit();
    let outcome = RwSignal::new(None::<Result<u32, AppError>>);
    let revoke_unused = move |_| {
        if !window().confirm_with_message(i18n.t().invites_revoke_unused_confirm).unwrap_or(false) {
            return;
        }
        revoking.run(async move {
            let scope = RevokeUnused { target: place.get_untracked() };
            let answer = api::revoke_unused(school_id, scope).await;
            outcome.set(Some(answer.map(|affected| affected.count)));
            invites.refetch();
        });
    };
    let header = move || {
        let t = i18n.t();
        view! { class=class,
            <header>
                <h1 id="invites-heading">{t.invites_title}</h1>
                <div class="row">
                    <a class="button button--primary" href=routes::new_invite(school_id)>{t.invite_create}</a>
                    <button type="button" class="button" on:click=revoke_unused disabled=move || revoking.pending()>
                        {t.invites_revoke_unused}
                    </button>
                </div>
            </header>
        }
    };
    view! { class=class,
        <AdminFrame school_id=school_id section=Section::Invites>
            <section class="screen" aria-labelledby="invites-heading">
                {header}
                <p class="done" role="status">
                    {move || match outcome.get() {
                        Some(Ok(count)) => fill(i18n.t().invites_revoked_count, &[("n", &count.to_string())]),
                        Some(Err(error)) => error.message(i18n.t()),
                        None => String::new(),
                    }}
                </p>
                {move || match invites.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        let t = i18n.t();
                        view! { <EmptyState symbol="🔗" title=t.invites_empty_title text=t.invites_empty_text /> }.into_any()
                    }
                    Some(Ok(list)) => {
                        let places = places_of(&list);
                        let shown: Vec<Invite> = match place.get() {
                            Some(target) => list.into_iter().filter(|i| i.target == target).collect(),
                            None => list,
                        };
                        view! {
                            <PlaceFilter places=places place=place />
                            <InviteRows invites=shown on_changed=move || invites.refetch() />
                        }
                        .into_any()
                    }
                    Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || invites.refetch() /> }.into_any(),
                }}
            </section>
        </AdminFrame>
    }
}

/// Every place the invites lead to, once each, in the order first seen.
fn places_of(invites: &[Invite]) -> Vec<(InviteTarget, String)> {
    let mut places: Vec<(InviteTarget, String)> = Vec::new();
    for invite in invites {
        if !places.iter().any(|(target, _)| *target == invite.target) {
            places.push((invite.target, invite.target_name.clone()));
        }
    }
    places
}

/// Narrows the list to one place, when there are several.
#[component]
fn PlaceFilter(places: Vec<(InviteTarget, String)>, place: RwSignal<Option<InviteTarget>>) -> impl IntoView {
    let class = style! {
        .filter {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
        label {
            font-weight: 600;
        }
        select {
            font: inherit;
            padding: var(--space-2) var(--space-3);
            min-height: 2.75rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
    };
    let i18n = use_i18n();
    let places = StoredValue::new(places);
    let choose = move |ev: leptos::ev::Event| {
        let index = event_target_value(&ev).parse::<usize>().ok();
        place.set(index.and_then(|i| places.with_value(|list| list.get(i).map(|(target, _)| *target))));
    };
    move || {
        let t = i18n.t();
        (places.with_value(Vec::len) > 1).then(|| {
            let options = places.with_value(|list| {
                list.iter()
                    .enumerate()
                    .map(|(i, (target, name))| {
                        let target = *target;
                        view! { <option value=i.to_string() selected=move || place.get() == Some(target)>{name.clone()}</option> }
                    })
                    .collect_view()
            });
            view! { class=class,
                <div class="filter">
                    <label for="invite-place">{t.invites_place}</label>
                    <select id="invite-place" on:change=choose>
                        <option value="" selected=move || place.get().is_none()>{t.invites_all_places}</option>
                        {options}
                    </select>
                </div>
            }
        })
    }
}

#[component]
fn InviteRows(invites: Vec<Invite>, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let class = style! {
        .title {
            display: flex;
            flex-wrap: wrap;
            align-items: baseline;
            gap: var(--space-2);
            margin: 0;
            font-size: 1.0625rem;
        }
        .state {
            font-size: 0.8125rem;
            padding: 0.125rem var(--space-2);
            border-radius: 999px;
            background: var(--surface-sunken);
            color: var(--text-muted);
            font-weight: 600;
        }
        .state[data-state="active"] {
            background: var(--accent-surface);
            color: var(--accent-text);
        }
        .label {
            margin: 0;
        }
        dl {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1) var(--space-4);
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
        }
        dl div {
            display: flex;
            gap: var(--space-1);
        }
        dd {
            margin: 0;
            color: var(--text);
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let user_id = session.me().map(|me| me.user.id).unwrap_or_default();
    let invites = StoredValue::new(invites);
    let revoking = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let revoke = move |id: i64| {
        if !window().confirm_with_message(i18n.t().invite_revoke_confirm).unwrap_or(false) {
            return;
        }
        revoking.run(async move {
            match api::revoke_invite(id).await {
                Ok(_) => on_changed.run(()),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let rows = invites.with_value(|list| {
            list.iter()
                .map(|invite| {
                    let id = invite.id;
                    let state = invite.state;
                    let state_key = match state {
                        InviteState::Active => "active",
                        _ => "ended",
                    };
                    let expires = invite
                        .expires_at
                        .as_deref()
                        .map_or_else(|| t.invite_never_expires.to_string(), |at| long_date(at, lang));
                    let known = created_link(user_id, id).is_some();
                    let title = fill(t.invite_row_title, &[("place", &invite.target_name), ("role", role_name(invite.role, t))]);
                    view! { class=class,
                        <li data-invite=id>
                            <h2 class="title">
                                <span>{title}</span>
                                <span class="state" data-state=state_key>{state_name(state, t)}</span>
                            </h2>
                            {invite.label.clone().map(|label| view! { class=class, <p class="label">{label}</p> })}
                            <dl>
                                <div><dt>{t.invite_uses}</dt><dd>{uses_text(invite, t)}</dd></div>
                                <div><dt>{t.invite_pending}</dt><dd>{invite.pending_requests}</dd></div>
                                <div><dt>{t.invite_expires}</dt><dd>{expires}</dd></div>
                                <div><dt>{t.invite_created_by}</dt><dd>{invite.created_by.name.clone()}</dd></div>
                            </dl>
                            <div class="row">
                                {known.then(|| view! {
                                    <a class="button" href=routes::invite(id)>{t.invite_show}</a>
                                })}
                                {(state == InviteState::Active).then(|| view! {
                                    <button type="button" class="button" on:click=move |_| revoke(id) disabled=move || revoking.pending()>
                                        {t.invite_revoke}
                                    </button>
                                })}
                            </div>
                        </li>
                    }
                })
                .collect_view()
        });
        view! { class=class,
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            <ul class="card-list">{rows}</ul>
        }
    }
}

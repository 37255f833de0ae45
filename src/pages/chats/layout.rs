use contract::Role;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_navigate};
use stylers_macro::style;

use super::list::{ChatList, MyRequests, Schools};
use crate::chunks;
use crate::components::{ChildConfirmationBanner, ConnectionBanner, Shell};
use crate::error::AppError;
use crate::hooks::use_submit;
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::chats::provide_chats;
use crate::state::connection::provide_connection;
use crate::state::invite_keys;
use crate::state::outbox::provide_outbox;
use crate::state::session::use_session;

/// Every screen after sign-in: a person who is not signed in, or has no profile yet, goes where they
/// must go first; anyone else gets the signed-in layout (a chunk of its own) around the route's screen.
/// Part of the first load, so that a signed-out visit here loads nothing more before its redirect.
#[component]
pub fn SignedInGate() -> impl IntoView {
    let session = use_session();
    let signed_in = Memo::new(move |_| session.is_signed_in());
    let complete = Memo::new(move |_| session.profile_complete());
    move || {
        if !signed_in.get() {
            view! { <Redirect path=routes::SIGN_IN /> }.into_any()
        } else if !complete.get() {
            view! { <Redirect path=routes::WELCOME /> }.into_any()
        } else {
            let staff = untrack(|| {
                session.me().is_some_and(|me| {
                    me.schools
                        .iter()
                        .any(|s| s.roles.iter().any(|r| matches!(r, Role::Admin | Role::Teacher)))
                })
            });
            chunks::prefetch(staff);
            Suspend::new(chunks::signed_in_layout()).into_any()
        }
    }
}

/// The schools, requests and chat list beside the route's screen (two panes on a desktop, one at a time
/// on a phone), with the live connection that keeps them current. It stays while the person moves
/// between chats and screens: only the outlet's screen changes.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    let class = style! {
        .panes {
            flex: 1;
            display: grid;
            grid-template-columns: 1fr;
            grid-template-rows: minmax(0, 1fr);
            min-height: 0;
        }
        .sidebar {
            display: flex;
            flex-direction: column;
            min-height: 0;
            background: var(--surface);
            overflow-y: auto;
        }
        .content {
            display: none;
            flex-direction: column;
            min-height: 0;
            min-width: 0;
            overflow-y: auto;
        }
        .panes[data-chat-open] .sidebar {
            display: none;
        }
        .panes[data-chat-open] .content {
            display: flex;
        }
        @media (min-width: 56rem) {
            .panes {
                grid-template-columns: minmax(18rem, 22rem) 1fr;
            }
            .sidebar {
                border-right: 1px solid var(--border);
            }
            .panes .content,
            .panes[data-chat-open] .content {
                display: flex;
            }
            .panes[data-chat-open] .sidebar {
                display: flex;
            }
        }
    };
    provide_connection();
    provide_chats();
    let session = use_session();
    provide_outbox(session.me().map(|me| me.user.id).unwrap_or_default());
    // On a phone, any screen but home takes the whole width.
    let location = use_location();
    let chat_open = move || location.pathname.with(|path| path != routes::HOME);
    view! { class=class,
        <Shell brand_links_home=true fills_screen=true actions=ViewFn::from(|| view! { <Account /> })>
            <ConnectionBanner />
            <ChildConfirmationBanner />
            <div class="panes" data-chat-open=move || chat_open().then_some("")>
                <div class="sidebar">
                    <Schools />
                    <MyRequests />
                    <ChatList />
                </div>
                <div class="content">
                    <Outlet />
                </div>
            </div>
        </Shell>
    }
}

/// The signed-in person's name and the sign-out button. On a shared school computer signing out must
/// end the session on the server, not just hide it here.
#[component]
fn Account() -> impl IntoView {
    let class = style! {
        .account {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .name {
            color: var(--text-muted);
            max-width: 14rem;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        .failed {
            color: var(--danger);
            font-size: 0.875rem;
        }
        @media (max-width: 40rem) {
            .name {
                display: none;
            }
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    // Stored so that the closures using it stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let failure = RwSignal::new(None::<AppError>);
    let sign_out = use_submit();
    let on_sign_out = move |_| {
        sign_out.run(async move {
            match crate::api::sign_out().await {
                Ok(()) => {
                    invite_keys::forget_all();
                    session.clear();
                    navigate.with_value(|navigate| navigate(routes::SIGN_IN, Default::default()));
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let name = move || {
        session
            .me()
            .map(|me| {
                format!(
                    "{} {}",
                    me.user.first_name.unwrap_or_default(),
                    me.user.last_name.unwrap_or_default()
                )
            })
            .unwrap_or_default()
    };
    view! { class=class,
        <div class="account">
            <span class="name">{name}</span>
            <span class="failed" role="alert">
                {move || failure.get().map(|e| e.message(i18n.t()))}
            </span>
            <button
                type="button"
                class="button button--ghost"
                disabled=move || sign_out.pending()
                on:click=on_sign_out
            >
                {move || i18n.t().sign_out}
            </button>
        </div>
    }
}

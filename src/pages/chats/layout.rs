use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_navigate};
use stylers_macro::style;

use super::chat::{ChatView, NoChatSelected};
use super::info::ChatInfoScreen;
use super::list::{ChatList, MyRequests, Schools};
use super::my_files::MyFilesScreen;
use super::new_chat::NewChatScreen;
use super::search::SearchScreen;
use crate::components::{ChildConfirmationBanner, ConnectionBanner, Shell};
use crate::error::AppError;
use crate::hooks::use_submit;
use crate::i18n::use_i18n;
use crate::pages::staff::{LoadStaff, StaffScreens};
use crate::pages::{ConfirmChildPage, NotFoundPage};
use crate::routes::{self, Screen};
use crate::state::chats::provide_chats;
use crate::state::connection::provide_connection;
use crate::state::invite_keys;
use crate::state::outbox::provide_outbox;
use crate::state::session::use_session;

#[component]
pub fn ChatsLayout() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let screen = Memo::new(move |_| location.pathname.with(|path| routes::screen(path)));
    // Only this decides whether the layout is drawn: moving between chats must not rebuild it.
    let not_found = Memo::new(move |_| screen.get() == Screen::NotFound);
    let signed_in = Memo::new(move |_| session.is_signed_in());
    let complete = Memo::new(move |_| session.profile_complete());
    let confirming = Memo::new(move |_| {
        location.pathname.with(|path| routes::child_confirmation(path).map(str::to_string))
    });
    move || {
        if let Some(token) = confirming.get() {
            view! { <ConfirmChildPage token=token /> }.into_any()
        } else if not_found.get() {
            view! { <NotFoundPage /> }.into_any()
        } else if !signed_in.get() {
            view! { <Redirect path=routes::SIGN_IN /> }.into_any()
        } else if !complete.get() {
            view! { <Redirect path=routes::WELCOME /> }.into_any()
        } else {
            view! { <SignedIn screen=screen /> }.into_any()
        }
    }
}

#[component]
fn SignedIn(
    /// Which screen the path names (never `NotFound` here).
    screen: Memo<Screen>,
) -> impl IntoView {
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
    let staff = use_context::<StaffScreens>();
    provide_connection();
    provide_chats();
    let session = use_session();
    provide_outbox(session.me().map(|me| me.user.id).unwrap_or_default());
    // On a phone, any screen but home takes the whole width.
    let chat_open = move || screen.get() != Screen::Home;
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
                    {move || match screen.get() {
                        Screen::Chat(id) => view! { <ChatView id=id /> }.into_any(),
                        Screen::ChatInfo(id) => view! { <ChatInfoScreen id=id /> }.into_any(),
                        Screen::MyFiles => view! { <MyFilesScreen /> }.into_any(),
                        Screen::Search => view! { <SearchScreen /> }.into_any(),
                        Screen::NewChat(school) => view! { <NewChatScreen school_id=school /> }.into_any(),
                        screen @ (Screen::Invites(_)
                        | Screen::NewInvite(_)
                        | Screen::Invite(_)
                        | Screen::Requests(_)
                        | Screen::Admin(..)) => match staff {
                            Some(StaffScreens(draw)) => draw(screen),
                            None => view! { <LoadStaff /> }.into_any(),
                        },
                        Screen::Home | Screen::NotFound => view! { <NoChatSelected /> }.into_any(),
                    }}
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

use contract::{ChatKind, ChatSummary, Role};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use stylers_macro::style;

use crate::components::{Avatar, EmptyState, ErrorNotice, Loading};
use crate::format::list_time;
use crate::hooks::use_load;
use crate::i18n::{Strings, use_i18n};
use crate::routes;
use crate::state::session::use_session;

pub fn role_name(role: Role, t: &Strings) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Teacher => t.role_teacher,
        Role::Student => t.role_student,
        Role::Parent => t.role_parent,
    }
}

pub fn kind_name(kind: ChatKind, t: &Strings) -> &'static str {
    match kind {
        ChatKind::Channel => t.chat_kind_channel,
        ChatKind::Staff => t.chat_kind_staff,
        ChatKind::Class => t.chat_kind_class,
        ChatKind::Parents => t.chat_kind_parents,
        ChatKind::Subject => t.chat_kind_subject,
        ChatKind::Group | ChatKind::Unknown => t.chat_kind_group,
        ChatKind::Direct => t.chat_kind_direct,
    }
}

/// The schools the person belongs to, with their roles there.
#[component]
pub fn Schools() -> impl IntoView {
    let class = style! {
        section {
            padding: var(--space-4) var(--space-4) var(--space-2);
        }
        h2 {
            margin: 0 0 var(--space-2);
            font-size: 0.8125rem;
            text-transform: uppercase;
            letter-spacing: 0.04rem;
            color: var(--text-muted);
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        li {
            padding: var(--space-3);
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface-sunken);
        }
        .school {
            display: block;
            font-weight: 600;
        }
        .roles {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1);
            margin-top: var(--space-1);
        }
        .role {
            font-size: 0.8125rem;
            padding: 0.125rem var(--space-2);
            border-radius: 999px;
            background: var(--accent-surface);
            color: var(--accent-text);
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    move || {
        let t = i18n.t();
        let schools = session.me().map(|me| me.schools).unwrap_or_default();
        let body = if schools.is_empty() {
            view! { <EmptyState symbol="🏫" title=t.no_schools_title text=t.no_schools_text /> }.into_any()
        } else {
            let rows = schools
                .into_iter()
                .map(|membership| {
                    let roles = membership
                        .roles
                        .iter()
                        .map(|role| view! { class=class, <span class="role">{role_name(*role, t)}</span> })
                        .collect_view();
                    let name = membership.school.short_name.unwrap_or(membership.school.name);
                    view! { class=class,
                        <li>
                            <span class="school">{name}</span>
                            <span class="roles">{roles}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { class=class, <ul>{rows}</ul> }.into_any()
        };
        view! { class=class,
            <section aria-labelledby="schools-title">
                <h2 id="schools-title">{t.my_schools}</h2>
                {body}
            </section>
        }
    }
}

/// Every chat and channel of the person, the most recently active first.
#[component]
pub fn ChatList() -> impl IntoView {
    let class = style! {
        nav {
            padding: var(--space-2) 0 var(--space-4);
        }
        h2 {
            margin: 0;
            padding: var(--space-2) var(--space-4);
            font-size: 0.8125rem;
            text-transform: uppercase;
            letter-spacing: 0.04rem;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let chats = use_load(crate::api::chats);
    view! { class=class,
        <nav aria-labelledby="chats-title">
            <h2 id="chats-title">{move || i18n.t().chats_title}</h2>
            {move || match chats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="💬" title=t.no_chats_title text=t.no_chats_text /> }.into_any()
                }
                Some(Ok(list)) => view! { <ChatRows chats=list /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || chats.refetch() /> }.into_any(),
            }}
        </nav>
    }
}

#[component]
fn ChatRows(
    /// The chats, in the order to show.
    chats: Vec<ChatSummary>,
) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        a {
            display: flex;
            gap: var(--space-3);
            align-items: center;
            padding: var(--space-3) var(--space-4);
            color: var(--text);
            text-decoration: none;
            min-height: 4rem;
        }
        a:hover {
            background: var(--surface-hover);
        }
        a:focus-visible {
            outline-offset: -3px;
        }
        a[aria-current="page"] {
            background: var(--accent-surface);
        }
        .body {
            flex: 1;
            min-width: 0;
        }
        .top {
            display: flex;
            align-items: baseline;
            gap: var(--space-2);
        }
        .title {
            flex: 1;
            font-weight: 600;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        .time {
            flex: none;
            font-size: 0.8125rem;
            color: var(--text-muted);
        }
        .kind {
            display: block;
            font-size: 0.8125rem;
            color: var(--text-muted);
        }
        .preview {
            display: block;
            color: var(--text-muted);
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
            font-size: 0.9375rem;
        }
    };
    let i18n = use_i18n();
    let location = use_location();
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let rows = chats
            .iter()
            .map(|chat| {
                let href = routes::chat(chat.id);
                let current = {
                    let href = href.clone();
                    move || location.pathname.with(|p| *p == href).then_some("page")
                };
                let symbol = (chat.kind == ChatKind::Channel).then_some("📢");
                let preview = match chat.last_message.clone() {
                    Some(m) => match m.author_name {
                        Some(author) => format!("{author}: {}", m.text),
                        None => m.text,
                    },
                    None => t.no_messages_yet.to_string(),
                };
                view! { class=class,
                    <li>
                        <a href=href aria-current=current>
                            <Avatar id=chat.id name=chat.title.clone() symbol=symbol />
                            <span class="body">
                                <span class="top">
                                    <span class="title">{chat.title.clone()}</span>
                                    <span class="time">{list_time(&chat.last_activity_at, lang)}</span>
                                </span>
                                <span class="kind">{kind_name(chat.kind, t)}</span>
                                <span class="preview">{preview}</span>
                            </span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { class=class, <ul>{rows}</ul> }
    }
}

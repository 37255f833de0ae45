//! The bar above a chat, and what a chat shows when it cannot be loaded for want of a network.

use contract::ChatKind;
use leptos::prelude::*;
use stylers_macro::style;

use super::list::kind_name;
use super::message::PendingRow;
use crate::components::Avatar;
use crate::format::plural;
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::chats::use_chats;
use crate::state::outbox::use_outbox;
use crate::state::session::{Session, use_session};

/// A chat that could not be loaded for want of a network (the app started offline): its header as
/// the chat list last knew it, the person's own messages waiting to be sent, and when the rest comes.
/// The connection banner above already says the network is gone; nothing here repeats it as an alarm.
/// The chat loads by itself once the live connection is back.
#[component]
pub fn OfflineChat(
    /// Which chat.
    id: i64,
    /// Loads the chat again (for a backend without live events, where nothing else would).
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let class = style! {
        .chat {
            flex: 1;
            display: flex;
            flex-direction: column;
            min-height: 0;
        }
        .unsent {
            flex: 1;
            overflow-y: auto;
            padding: var(--space-2) var(--space-4);
        }
        ol {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        .note {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: center;
            gap: var(--space-2);
            margin: var(--space-3) 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
            text-align: center;
        }
    };
    let i18n = use_i18n();
    let outbox = use_outbox();
    let chats = use_chats();
    let session = use_session();
    let heading = move || {
        let summary = chats.summary(id);
        let school = summary.as_ref().and_then(|chat| school_name(session, chat.school_id));
        match summary {
            Some(chat) => Heading {
                id,
                title: chat.title,
                kind: Some(chat.kind),
                member_count: None,
                school,
                links: false,
            },
            None => Heading {
                id,
                title: i18n.t().chat_title_loading.to_string(),
                kind: None,
                member_count: None,
                school: None,
                links: false,
            },
        }
    };
    let pending = move || outbox.pending_in(id);
    view! { class=class,
        <section class="chat" aria-labelledby="chat-title">
            {move || view! { <ChatHeader heading=heading() /> }}
            <div class="unsent" tabindex="0" role="region" aria-label=move || i18n.t().messages_label>
                <p class="note">
                    <span>{move || i18n.t().chat_offline_note}</span>
                    <button type="button" class="button button--ghost" on:click=move |_| on_retry.run(())>
                        {move || i18n.t().try_again}
                    </button>
                </p>
                <ol>
                    {move || pending().into_iter().map(|p| view! { <PendingRow pending=p /> }).collect_view()}
                </ol>
            </div>
        </section>
    }
}

/// What the header above a chat says.
#[derive(Clone)]
pub struct Heading {
    pub id: i64,
    pub title: String,
    /// Unknown for a chat neither loaded nor in the remembered chat list.
    pub kind: Option<ChatKind>,
    /// Known once the chat is loaded.
    pub member_count: Option<u32>,
    /// The school's short name, if it has one.
    pub school: Option<String>,
    /// Links to searching the chat and to its members: only once it is loaded.
    pub links: bool,
}

/// The short name of one of the person's schools (the full one when it has none).
pub fn school_name(session: Session, school_id: i64) -> Option<String> {
    session.me().and_then(|me| {
        me.schools
            .into_iter()
            .find(|m| m.school.id == school_id)
            .map(|m| m.school.short_name.unwrap_or(m.school.name))
    })
}

/// The bar above a chat: back to the list (on a phone), the chat's title on one line and a smaller
/// line with its kind, members and school, cut with «…» where the screen ends.
#[component]
pub fn ChatHeader(
    /// What it says.
    heading: Heading,
) -> impl IntoView {
    let class = style! {
        .head {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-2) var(--space-4);
            background: var(--surface);
            border-bottom: 1px solid var(--border);
        }
        .back {
            font-size: 1.25rem;
            text-decoration: none;
            padding: var(--space-2);
            margin-left: calc(var(--space-2) * -1);
        }
        .titles {
            flex: 1;
            min-width: 0;
            line-height: 1.3;
        }
        .info {
            display: inline-grid;
            place-items: center;
            min-width: 2.75rem;
            min-height: 2.75rem;
            border-radius: 999px;
            font-size: 1.375rem;
            text-decoration: none;
        }
        .info:hover {
            background: var(--surface-hover);
        }
        h1,
        .sub {
            margin: 0;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        h1 {
            font-size: 1.125rem;
        }
        .sub {
            font-size: 0.8125rem;
            color: var(--text-muted);
        }
        @media (min-width: 56rem) {
            .back {
                display: none;
            }
        }
    };
    let i18n = use_i18n();
    let Heading { id, title, kind, member_count, school, links } = heading;
    let symbol = (kind == Some(ChatKind::Channel)).then_some("📢");
    let about = move || {
        let t = i18n.t();
        let parts = [
            kind.map(|kind| kind_name(kind, t).to_string()),
            member_count.map(|n| plural(n, t.members_count, i18n.lang())),
            school.clone(),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join(" · ")
    };
    view! { class=class,
        <header class="head">
            <a class="back" href=routes::HOME aria-label=move || i18n.t().back_to_chats>"←"</a>
            <Avatar id=id name=title.clone() symbol=symbol />
            <div class="titles">
                <h1 id="chat-title">{title}</h1>
                <p class="sub">{about}</p>
            </div>
            {links.then(|| view! { class=class,
                <a class="info" href=routes::search_in(id) aria-label=move || i18n.t().search_in_chat_title title=move || i18n.t().search_in_chat_title>
                    <span aria-hidden="true">"🔍"</span>
                </a>
                <a class="info" href=routes::chat_info(id) aria-label=move || i18n.t().chat_info_link title=move || i18n.t().chat_info_link>
                    <span aria-hidden="true">"👥"</span>
                </a>
            })}
        </header>
    }
}

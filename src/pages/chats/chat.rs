use contract::{Chat, ChatKind, Message, MessageKind, MessagePage};
use leptos::html::Div;
use leptos::prelude::*;
use stylers_macro::style;

use super::list::kind_name;
use crate::components::{Avatar, EmptyState, ErrorNotice, Loading, TeacherBadge};
use crate::error::AppError;
use crate::format::{day_label, full_date_time, local_day, plural, time_of_day};
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{Lang, use_i18n};
use crate::routes;

/// The right pane on a desktop when no chat is open.
#[component]
pub fn NoChatSelected() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().chats_title.to_string());
    move || {
        let t = i18n.t();
        view! { <EmptyState symbol="👈" title=t.pick_chat_title text=t.pick_chat_text /> }
    }
}

/// One chat: its header, its timeline.
#[component]
pub fn ChatView(
    /// Which chat.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    // One request pair, one resource: the header and the timeline appear together.
    let loaded = use_load(move || {
        let both = futures::future::join(crate::api::chat(id), crate::api::messages(id));
        async move {
            let (chat, page) = both.await;
            Ok::<_, AppError>((chat?, page?))
        }
    });
    use_page_title(move || match loaded.get() {
        Some(Ok((chat, _))) => chat.title,
        _ => i18n.t().chat_title_loading.to_string(),
    });
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok((chat, page))) => view! { <ChatScreen chat=chat page=page /> }.into_any(),
        Some(Err(error)) if error.code() == Some(contract::ErrorCode::NotFound) => {
            let t = i18n.t();
            view! {
                <EmptyState symbol="🔒" title=t.chat_unavailable_title text=t.chat_unavailable_text>
                    <a class="button" href=routes::HOME>{t.back_to_chats}</a>
                </EmptyState>
            }
            .into_any()
        }
        Some(Err(error)) => {
            view! { <ErrorNotice error=error on_retry=move || loaded.refetch() /> }.into_any()
        }
    }
}

#[component]
fn ChatScreen(
    /// The chat's header data.
    chat: Chat,
    /// The latest messages, oldest first.
    page: MessagePage,
) -> impl IntoView {
    let class = style! {
        .chat {
            flex: 1;
            display: flex;
            flex-direction: column;
            min-height: 0;
        }
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
            min-width: 0;
        }
        h1 {
            margin: 0;
            font-size: 1.125rem;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        .sub {
            margin: 0;
            font-size: 0.875rem;
            color: var(--text-muted);
        }
        .readonly {
            margin: 0;
            padding: var(--space-3) var(--space-4);
            border-top: 1px solid var(--border);
            background: var(--surface);
            color: var(--text-muted);
            text-align: center;
            font-size: 0.9375rem;
        }
        @media (min-width: 56rem) {
            .back {
                display: none;
            }
        }
    };
    let i18n = use_i18n();
    let read_only = !chat.can_post && chat.kind == ChatKind::Channel;
    let symbol = (chat.kind == ChatKind::Channel).then_some("📢");
    let header = move || {
        let t = i18n.t();
        let about = format!(
            "{} · {} · {}",
            kind_name(chat.kind, t),
            plural(chat.member_count, t.members_count, i18n.lang()),
            chat.school_name
        );
        view! { class=class,
            <div class="head">
                <a class="back" href=routes::HOME aria-label=t.back_to_chats>"←"</a>
                <Avatar id=chat.id name=chat.title.clone() symbol=symbol />
                <div class="titles">
                    <h1 id="chat-title">{chat.title.clone()}</h1>
                    <p class="sub">{about}</p>
                </div>
            </div>
        }
    };
    view! { class=class,
        <section class="chat" aria-labelledby="chat-title">
            {header}
            <Timeline messages=page.messages />
            {move || read_only.then(|| view! { class=class, <p class="readonly">{i18n.t().channel_read_only}</p> })}
        </section>
    }
}

/// The messages, grouped under date separators, scrolled to the latest.
#[component]
fn Timeline(
    /// Oldest first.
    messages: Vec<Message>,
) -> impl IntoView {
    let class = style! {
        .timeline {
            flex: 1;
            overflow-y: auto;
            padding: var(--space-4);
            background: var(--background);
        }
        .timeline:focus-visible {
            outline: 3px solid var(--focus);
            outline-offset: -3px;
        }
        ol {
            list-style: none;
            margin: 0 auto;
            padding: 0;
            max-width: 48rem;
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .day {
            align-self: center;
            margin: var(--space-2) 0;
            padding: var(--space-1) var(--space-3);
            border-radius: 999px;
            background: var(--surface-sunken);
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
        .message {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
        }
        .bubble {
            min-width: 0;
            max-width: 100%;
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius);
            background: var(--surface);
            border: 1px solid var(--border);
        }
        .meta {
            display: flex;
            gap: var(--space-2);
            align-items: baseline;
            font-size: 0.875rem;
        }
        .author {
            font-weight: 600;
        }
        time {
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
        .text {
            margin: var(--space-1) 0 0;
            white-space: pre-wrap;
            overflow-wrap: anywhere;
        }
        .system {
            align-self: center;
            color: var(--text-muted);
            font-size: 0.875rem;
            text-align: center;
        }
    };
    let i18n = use_i18n();
    let scroller = NodeRef::<Div>::new();
    // Land on the latest message, as every messenger does.
    Effect::new(move |_| {
        if let Some(element) = scroller.get() {
            request_animation_frame(move || element.set_scroll_top(element.scroll_height()));
        }
    });
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        if messages.is_empty() {
            return view! { <EmptyState symbol="✉️" title=t.no_messages_title text=t.no_messages_text /> }
                .into_any();
        }
        let mut rows = Vec::with_capacity(messages.len() + 4);
        let mut last_day = String::new();
        for message in &messages {
            let day = local_day(&message.created_at);
            if day != last_day {
                last_day = day;
                rows.push(
                    view! { class=class, <li class="day">{day_label(&message.created_at, lang)}</li> }
                        .into_any(),
                );
            }
            rows.push(message_row(message.clone(), lang, class));
        }
        view! { class=class,
            <div class="timeline" node_ref=scroller tabindex="0" role="region" aria-label=t.messages_label>
                <ol>{rows}</ol>
            </div>
        }
        .into_any()
    }
}

fn message_row(message: Message, lang: Lang, class: &'static str) -> AnyView {
    if message.kind == MessageKind::System {
        return view! { class=class, <li class="system">{message.text}</li> }.into_any();
    }
    let (author_id, author, verified) =
        message.author.map(|a| (a.id, a.name, a.teacher_verified)).unwrap_or_default();
    view! { class=class,
        <li class="message">
            <Avatar id=author_id name=author.clone() />
            <div class="bubble">
                <div class="meta">
                    <span class="author">{author}{verified.then(|| view! { <TeacherBadge /> })}</span>
                    <time datetime=message.created_at.clone() title=full_date_time(&message.created_at, lang)>
                        {time_of_day(&message.created_at, lang)}
                    </time>
                </div>
                <p class="text">{message.text}</p>
            </div>
        </li>
    }
    .into_any()
}

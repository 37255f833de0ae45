//! One row of a timeline: a message with its author, time, quote, reactions and actions; or a message
//! still in the outbox.

use contract::{Mention, Message, MessageKind, REACTIONS};
use leptos::prelude::*;
use stylers_macro::style;

use super::attachments::MessageFiles;
use super::chat::use_chat_state;
use super::poll::{AckBar, PollView};
use super::system_line::system_sentence;
use crate::components::{Avatar, TeacherBadge};
use crate::format::{day_label, full_date_time, time_of_day};
use crate::i18n::{fill, use_i18n};
use crate::state::outbox::{Delivery, Pending, use_outbox};

/// A message as the timeline shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub message: Message,
    /// The first message of its day: a date separator goes above it.
    pub starts_day: bool,
    /// Follows a message of the same author within minutes: drawn without name and avatar.
    pub continues: bool,
    /// The first unread message when the chat was opened: the "new messages" line goes above it.
    pub first_unread: bool,
}

pub fn row_style() -> &'static str {
    let class = style! {
        li {
            list-style: none;
        }
        .day {
            align-self: center;
            margin: var(--space-3) 0 var(--space-1);
            padding: var(--space-1) var(--space-3);
            border-radius: 999px;
            background: var(--surface-sunken);
            color: var(--text-muted);
            font-size: 0.8125rem;
            text-align: center;
        }
        .unread-line {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            margin: var(--space-2) 0;
            color: var(--accent-text);
            font-size: 0.8125rem;
            font-weight: 600;
        }
        .unread-line::before,
        .unread-line::after {
            content: "";
            flex: 1;
            border-top: 1px solid var(--accent);
        }
        .message {
            position: relative;
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            margin-top: var(--space-3);
        }
        .message.continues {
            margin-top: var(--space-1);
        }
        .message.continues .avatar-space {
            visibility: hidden;
            height: 0;
        }
        .avatar-space {
            flex: none;
            width: 2.5rem;
        }
        .bubble {
            min-width: 0;
            max-width: min(100%, 40rem);
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius);
            background: var(--surface);
            border: 1px solid var(--border);
        }
        .own .bubble {
            background: var(--accent-surface);
        }
        .for-me .bubble {
            border-left: 4px solid var(--accent);
        }
        .mention {
            padding: 0 0.125rem;
            border-radius: var(--radius-s);
            background: var(--accent-surface);
            color: var(--accent-text);
            font-weight: 600;
        }
        .mention.me {
            background: var(--accent);
            color: var(--on-accent);
        }
        .mentions-me {
            color: var(--accent-text);
            font-weight: 600;
        }
        .meta {
            display: flex;
            flex-wrap: wrap;
            gap: 0 var(--space-2);
            align-items: baseline;
            font-size: 0.875rem;
        }
        .author {
            font-weight: 600;
        }
        .time,
        .note {
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
        .text {
            margin: var(--space-1) 0 0;
            white-space: pre-wrap;
            overflow-wrap: anywhere;
        }
        .text a {
            color: var(--accent-text);
        }
        .deleted {
            margin: var(--space-1) 0 0;
            color: var(--text-muted);
            font-style: italic;
        }
        .quote {
            margin: var(--space-1) 0 0;
            padding: var(--space-1) var(--space-2);
            border-left: 3px solid var(--accent);
            background: var(--surface-sunken);
            border-radius: 0 var(--radius-s) var(--radius-s) 0;
            font-size: 0.875rem;
            color: var(--text-muted);
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        .quote b {
            color: var(--text);
        }
        .reactions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1);
            margin-top: var(--space-2);
        }
        .reaction {
            min-height: 2rem;
            padding: 0 var(--space-2);
            border: 1px solid var(--border);
            border-radius: 999px;
            background: var(--surface);
            color: var(--text);
            font: inherit;
            font-size: 0.875rem;
            cursor: pointer;
        }
        .reaction[aria-pressed="true"] {
            border-color: var(--accent);
            background: var(--accent-surface);
        }
        .status {
            margin-left: auto;
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
        .more {
            flex: none;
            align-self: center;
            width: 2.75rem;
            height: 2.75rem;
            border: none;
            border-radius: 50%;
            background: transparent;
            color: var(--text-muted);
            font-size: 1.25rem;
            cursor: pointer;
        }
        .more:hover {
            background: var(--surface-hover);
        }
        .menu {
            position: absolute;
            z-index: 5;
            right: 0;
            top: 100%;
            display: flex;
            flex-direction: column;
            min-width: 14rem;
            padding: var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
            box-shadow: var(--shadow);
        }
        .menu button {
            min-height: 2.75rem;
            padding: 0 var(--space-3);
            border: none;
            border-radius: var(--radius-s);
            background: transparent;
            color: var(--text);
            font: inherit;
            text-align: left;
            cursor: pointer;
        }
        .menu button:hover {
            background: var(--surface-hover);
        }
        .menu .emoji {
            display: grid;
            grid-template-columns: repeat(4, 1fr);
        }
        .menu .emoji button {
            text-align: center;
            font-size: 1.25rem;
            padding: 0;
        }
        .menu .danger {
            color: var(--danger);
        }
        .system {
            align-self: center;
            margin: var(--space-2) 0;
            color: var(--text-muted);
            font-size: 0.875rem;
            text-align: center;
        }
        .pending .bubble {
            border-style: dashed;
        }
        .failed .bubble {
            border-color: var(--danger-border);
            background: var(--danger-surface);
        }
        .failure {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin-top: var(--space-1);
            color: var(--danger);
            font-size: 0.875rem;
        }
        .failure button,
        .meta .discard {
            min-height: 2.25rem;
        }
    };
    class
}

/// A sent message (or a system event) of the timeline.
#[component]
pub fn MessageRow(
    /// The message and how it sits among its neighbours.
    row: Row,
) -> impl IntoView {
    let class = row_style();
    let i18n = use_i18n();
    let state = use_chat_state();
    let Row { message, starts_day, continues, first_unread } = row;
    let day = starts_day.then(|| {
        let created = message.created_at.clone();
        view! { class=class, <li class="day">{move || day_label(&created, i18n.lang())}</li> }
    });
    let divider = first_unread
        .then(|| view! { class=class, <li class="unread-line" id="unread-line">{move || i18n.t().new_messages}</li> });
    if !matches!(message.kind, MessageKind::Text | MessageKind::Poll) {
        let Message { id, system, text, .. } = message;
        let sentence = move || system_sentence(system.as_ref(), &text, i18n.t());
        return view! { class=class,
            {day}
            {divider}
            <li class="system" data-id=id>{sentence}</li>
        }
        .into_any();
    }
    let id = message.id;
    let own = message.author.as_ref().is_some_and(|a| a.id == state.me);
    let for_me = message.mentions.iter().any(|p| p.user_id == state.me);
    let (author_id, author, verified) =
        message.author.clone().map(|a| (a.id, a.name, a.teacher_verified)).unwrap_or_default();
    let message = StoredValue::new(message);
    let name = author.clone();
    let body = move || {
        let t = i18n.t();
        message.with_value(|m| {
            if m.deleted {
                view! { class=class, <p class="deleted">{t.message_deleted}</p> }.into_any()
            } else if let Some(poll) = m.poll.clone() {
                view! { <PollView state=state message=m.clone() poll=poll /> }.into_any()
            } else {
                view! { class=class,
                    {(!m.text.is_empty()).then(|| view! { class=class, <p class="text">{message_text(&m.text, &m.mentions, state.me)}</p> })}
                    {(!m.attachments.is_empty()).then(|| view! { <MessageFiles files=m.attachments.clone() /> })}
                }
                .into_any()
            }
        })
    };
    let quote = move || {
        let t = i18n.t();
        message.with_value(|m| {
            m.reply_to.clone().map(|q| {
                let text = if q.deleted { t.message_deleted.to_string() } else { q.text };
                view! { class=class,
                    <p class="quote">
                        <span class="visually-hidden">{t.reply_to_label}" "</span>
                        <b>{q.author_name.unwrap_or_default()}</b>": "{text}
                    </p>
                }
            })
        })
    };
    let meta = move || {
        let t = i18n.t();
        let lang = i18n.lang();
        message.with_value(|m| {
            let time = time_of_day(&m.created_at, lang);
            let full = full_date_time(&m.created_at, lang);
            view! { class=class,
                <div class="meta">
                    {(!continues).then(|| view! { class=class,
                        <span class="author">{author.clone()}{verified.then(|| view! { <TeacherBadge /> })}</span>
                    })}
                    <time class="time" datetime=m.created_at.clone() title=full>{time}</time>
                    {(m.edited_at.is_some() && !m.deleted).then(|| view! { class=class, <span class="note">{t.message_edited}</span> })}
                    {for_me.then(|| view! { class=class, <span class="note mentions-me">{t.mentioned_you}</span> })}
                    {(own && !m.deleted).then(|| {
                        let read = m.read_count;
                        let label = if read == 0 {
                            t.message_sent.to_string()
                        } else {
                            fill(t.message_read_by, &[("n", &read.to_string())])
                        };
                        let mark = if read == 0 { "✓" } else { "✓✓" };
                        view! { class=class, <span class="status" title=label.clone() aria-label=label>{mark}</span> }
                    })}
                </div>
            }
        })
    };
    let reactions = move || {
        let t = i18n.t();
        message.with_value(|m| {
            (!m.reactions.is_empty() && !m.deleted).then(|| {
                let chips = m
                    .reactions
                    .iter()
                    .map(|r| {
                        let mine = r.user_ids.contains(&state.me);
                        let count = r.user_ids.len();
                        let emoji = r.emoji.clone();
                        let label = fill(t.reaction_label, &[("emoji", &emoji), ("n", &count.to_string())]);
                        let toggle = {
                            let emoji = emoji.clone();
                            move |_| state.react(id, emoji.clone(), !mine)
                        };
                        view! { class=class,
                            <button type="button" class="reaction" aria-pressed=mine.to_string() aria-label=label on:click=toggle
                                disabled=move || !state.info.with(|c| c.is_member)>
                                {emoji}" "{count}
                            </button>
                        }
                    })
                    .collect_view();
                view! { class=class, <div class="reactions">{chips}</div> }
            })
        })
    };
    let menu_open = move || state.menu.get() == Some(id);
    let menu = move || {
        menu_open().then(|| {
            let t = i18n.t();
            let (can_edit, can_delete, deleted, text) = message.with_value(|m| {
                (state.can_edit(m), own || state.chat.with_value(|c| c.can_moderate), m.deleted, m.text.clone())
            });
            // Read from outside (an administrator not in the chat): nothing but copying.
            let member = state.info.with_untracked(|c| c.is_member);
            let emoji = REACTIONS
                .iter()
                .map(|emoji| {
                    let label = fill(t.react_with, &[("emoji", emoji)]);
                    view! { class=class,
                        <button type="button" role="menuitem" aria-label=label
                            on:click=move |_| state.react(id, (*emoji).to_string(), true)>{*emoji}</button>
                    }
                })
                .collect_view();
            view! { class=class,
                <div class="menu" role="menu" aria-label=t.message_actions
                    on:keydown=move |event| if event.key() == "Escape" { state.close_menu(id) }>
                    {(!deleted && member).then(|| view! { class=class,
                        <div class="emoji" role="group" aria-label=t.reactions_label>{emoji}</div>
                        <button type="button" role="menuitem" on:click=move |_| state.start_reply(id)>{t.action_reply}</button>
                    })}
                    {(!deleted).then(|| view! { class=class,
                        <button type="button" role="menuitem" on:click=move |_| state.copy(text.clone())>{t.action_copy}</button>
                    })}
                    {(can_edit && !deleted).then(|| view! { class=class,
                        <button type="button" role="menuitem" on:click=move |_| state.start_edit(id)>{t.action_edit}</button>
                    })}
                    {(!deleted).then(|| state.info.with_untracked(|c| (c.can_pin, c.pinned.as_ref().map(|p| p.id)))).and_then(|(can_pin, pinned)| can_pin.then(|| {
                        let here = pinned == Some(id);
                        view! { class=class,
                            <button type="button" role="menuitem" on:click=move |_| state.pin((!here).then_some(id))>
                                {if here { t.unpin } else { t.action_pin }}
                            </button>
                        }
                    }))}
                    {(can_delete && !deleted).then(|| view! { class=class,
                        <button type="button" role="menuitem" class="danger" on:click=move |_| state.delete(id)>{t.action_delete}</button>
                    })}
                </div>
            }
        })
    };
    let toggle_menu = move |_| state.toggle_menu(id);
    view! { class=class,
        {day}
        {divider}
        <li class="message" class:own=own class:continues=continues class:for-me=for_me data-id=id>
            <span class="avatar-space"><Avatar id=author_id name=name /></span>
            <div class="bubble">
                {meta}
                {quote}
                {body}
                {move || message.with_value(|m| (!m.deleted && m.ack.is_some()).then(|| view! { <AckBar state=state message=m.clone() /> }))}
                {reactions}
            </div>
            <button
                type="button"
                class="more"
                id=format!("more-{id}")
                aria-haspopup="menu"
                aria-expanded=move || menu_open().to_string()
                aria-label=move || i18n.t().message_actions
                on:click=toggle_menu
            >
                "⋯"
            </button>
            {menu}
        </li>
    }
    .into_any()
}

/// A message of the outbox: shown at once, marked as sending, or as not sent with "retry" and "delete".
#[component]
pub fn PendingRow(
    /// The unconfirmed message.
    pending: Pending,
) -> impl IntoView {
    let class = row_style();
    let i18n = use_i18n();
    let outbox = use_outbox();
    let client_id = StoredValue::new(pending.client_id.clone());
    let delivery = move || client_id.with_value(|id| outbox.delivery(id));
    let discard = move |_| client_id.with_value(|id| outbox.discard(id));
    let status = move || {
        let t = i18n.t();
        match delivery()? {
            Delivery::Sending => Some(
                view! { class=class,
                    <div class="meta"><span class="status" role="status">"🕓 "{t.message_sending}</span></div>
                }
                .into_any(),
            ),
            Delivery::Waiting => Some(
                view! { class=class,
                    <div class="meta">
                        <span class="status" role="status">"🕓 "{t.message_waiting}</span>
                        <button type="button" class="button button--ghost discard" on:click=discard>
                            {t.action_delete}
                        </button>
                    </div>
                }
                .into_any(),
            ),
            Delivery::Refused(error) => Some(
                view! { class=class,
                    <div class="failure" role="alert">
                        <span>{format!("{} {}", t.message_not_sent, error.message(t))}</span>
                        <button type="button" class="button" on:click=move |_| client_id.with_value(|id| outbox.retry(id))>
                            {t.action_retry}
                        </button>
                        <button type="button" class="button button--ghost" on:click=discard>
                            {t.action_delete}
                        </button>
                    </div>
                }
                .into_any(),
            ),
        }
    };
    let failed = move || matches!(delivery(), Some(Delivery::Refused(_)));
    view! { class=class,
        <li class="message own pending" class:failed=failed data-client-id=pending.client_id.clone()>
            <span class="avatar-space"></span>
            <div class="bubble">
                {(!pending.text.is_empty()).then(|| view! { class=class, <p class="text">{linked_text(&pending.text)}</p> })}
                {(!pending.attachments.is_empty()).then(|| view! { <MessageFiles files=pending.attachments.clone() /> })}
                {status}
            </div>
        </li>
    }
}

/// `text` cut where it says `@<name>` of one of `mentions`: each part with whom it mentions, if anyone.
pub fn mentioned<'a>(text: &'a str, mentions: &[Mention]) -> Vec<(Option<i64>, &'a str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let next = mentions
            .iter()
            .filter(|m| !m.name.is_empty())
            .filter_map(|m| {
                let token = format!("@{}", m.name);
                rest.find(&token).map(|at| (at, token.len(), m.user_id))
            })
            .min_by_key(|&(at, len, _)| (at, usize::MAX - len));
        let Some((at, len, id)) = next else { break };
        if at > 0 {
            parts.push((None, &rest[..at]));
        }
        parts.push((Some(id), &rest[at..at + len]));
        rest = &rest[at + len..];
    }
    if !rest.is_empty() {
        parts.push((None, rest));
    }
    parts
}

/// A piece of a message's text: plain, or an address to link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits text into plain pieces and `http(s)://` addresses. Punctuation that ends a sentence is not
/// part of the address ("see https://school.ru/plan." links without the dot), nor is a closing
/// bracket without an opening one inside the address.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        let tail = &rest[start..];
        let mut end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        while let Some(last) = tail[..end].chars().next_back() {
            let unbalanced =
                last == ')' && tail[..end].matches('(').count() < tail[..end].matches(')').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '»') || unbalanced {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        let scheme_only = tail[..end].trim_start_matches("https://").trim_start_matches("http://").is_empty();
        if scheme_only {
            out.push(Piece::Text(&rest[..start + end.max(1)]));
            rest = &rest[start + end.max(1)..];
            continue;
        }
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Link(&tail[..end]));
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn find_link_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    [lower.find("https://"), lower.find("http://")].into_iter().flatten().min()
}

/// The text with its addresses as links that open apart from Parta and tell the other site nothing.
/// Everything else stays text: nothing a person wrote ever becomes markup.
fn linked_text(text: &str) -> AnyView {
    message_text(text, &[], 0)
}

/// The text with its addresses as links and the names it mentions highlighted (`me`'s the more).
/// Never HTML: each piece is a text node.
fn message_text(text: &str, mentions: &[Mention], me: i64) -> AnyView {
    let class = row_style();
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) if !mentions.is_empty() => mentioned(text, mentions)
                .into_iter()
                .map(|(who, part)| match who {
                    Some(id) => view! { class=class, <mark class="mention" class:me={id == me}>{part.to_string()}</mark> }.into_any(),
                    None => part.to_string().into_any(),
                })
                .collect_view()
                .into_any(),
            Piece::Text(text) => text.to_string().into_any(),
            Piece::Link(url) => view! {
                <a href=url.to_string() target="_blank" rel="noopener noreferrer">{url.to_string()}</a>
            }
            .into_any(),
        })
        .collect_view()
        .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_links_and_sentence_ends_do_not() {
        assert_eq!(
            pieces("План: https://school.ru/plan?a=1. Жду!"),
            [Piece::Text("План: "), Piece::Link("https://school.ru/plan?a=1"), Piece::Text(". Жду!")]
        );
        assert_eq!(
            pieces("(см. http://ru.wikipedia.org/wiki/Школа_(здание))"),
            [
                Piece::Text("(см. "),
                Piece::Link("http://ru.wikipedia.org/wiki/Школа_(здание)"),
                Piece::Text(")")
            ]
        );
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(pieces("javascript:alert(1)"), [Piece::Text("javascript:alert(1)")]);
        assert_eq!(pieces("<a href=x>y</a>"), [Piece::Text("<a href=x>y</a>")]);
        assert_eq!(pieces("https:// нет"), [Piece::Text("https://"), Piece::Text(" нет")]);
        assert_eq!(pieces("HTTPS://A.RU"), [Piece::Link("HTTPS://A.RU")]);
        assert_eq!(pieces(""), Vec::<Piece>::new());
    }

    #[test]
    fn mentions_are_cut_out_of_the_text_longest_name_first() {
        let anna = Mention { user_id: 7, name: "Анна Лебедева".into() };
        let anna_short = Mention { user_id: 8, name: "Анна".into() };
        assert_eq!(
            mentioned("@Анна Лебедева, <b>справку</b> @Анна!", &[anna_short.clone(), anna]),
            [(Some(7), "@Анна Лебедева"), (None, ", <b>справку</b> "), (Some(8), "@Анна"), (None, "!")]
        );
        assert_eq!(mentioned("без упоминаний", &[anna_short]), [(None, "без упоминаний")]);
    }
}

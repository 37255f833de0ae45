//! A chat's messages: a window of at most ~150 rows over the loaded history, moved as the person
//! scrolls, with older and newer pages loaded at its ends; live messages stick to the bottom only when
//! the person is there; the chat opens at its first unread message.

use contract::{Message, MessageKind, ServerEvent};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ScrollIntoViewOptions, ScrollLogicalPosition};

use super::chat::{ChatState, PAGE, use_chat_state};
use super::message::{MessageRow, PendingRow, Row};
use super::window::Window;
use crate::api::PageOf;
use crate::components::EmptyState;
use crate::format::local_day;
use crate::i18n::{fill, use_i18n};
use crate::state::chats::use_chats;
use crate::state::connection::use_connection;
use crate::state::outbox::{Pending, use_outbox};

/// How close (in pixels) to an end of the loaded rows the window moves or a page loads.
const EDGE_PX: i32 = 800;
/// How close to the bottom counts as being there.
const AT_END_PX: i32 = 48;
/// Messages of one author this close together (ms) are drawn as one group.
const GROUP_MS: f64 = 5.0 * 60_000.0;

#[component]
pub fn Timeline() -> impl IntoView {
    let class = style! {
        .wrap {
            position: relative;
            flex: 1;
            display: flex;
            flex-direction: column;
            min-height: 0;
        }
        .timeline {
            position: relative;
            flex: 1;
            overflow-y: auto;
            overflow-anchor: none;
            padding: var(--space-2) var(--space-4) var(--space-4);
            background: var(--background);
        }
        .timeline:focus-visible {
            outline: 3px solid var(--focus);
            outline-offset: -3px;
        }
        ol {
            margin: 0 auto;
            padding: 0;
            max-width: 48rem;
            display: flex;
            flex-direction: column;
        }
        .edge {
            margin: var(--space-3) 0;
            text-align: center;
            color: var(--text-muted);
            font-size: 0.875rem;
        }
        .jump {
            position: absolute;
            right: var(--space-4);
            bottom: var(--space-4);
            display: flex;
            align-items: center;
            gap: var(--space-1);
            min-width: 3rem;
            min-height: 3rem;
            padding: 0 var(--space-3);
            border: 1px solid var(--border);
            border-radius: 999px;
            background: var(--surface);
            color: var(--text);
            box-shadow: var(--shadow);
            font: inherit;
            font-size: 1.25rem;
            cursor: pointer;
        }
        .count {
            min-width: 1.5rem;
            padding: 0 0.375rem;
            border-radius: 999px;
            background: var(--accent);
            color: var(--on-accent);
            font-size: 0.8125rem;
            font-weight: 700;
        }
    };
    let i18n = use_i18n();
    let state = use_chat_state();
    let outbox = use_outbox();
    let chats = use_chats();
    let connection = use_connection();
    let chat_id = state.id();
    let scroller = NodeRef::<Div>::new();
    // Scrolled to the newest message (nothing newer to load).
    let at_end = RwSignal::new(state.first_unread.is_none() && state.land_at.is_none());
    let loading = RwSignal::new(false);
    let read_up_to = StoredValue::new(state.chat.with_value(|c| c.last_read_id.unwrap_or(0)));
    let read_sending = StoredValue::new(false);

    // Reports the newest message the person has seen; one request at a time, the latest wins.
    let mark_read = move || {
        let Some(element) = scroller.get_untracked() else { return };
        // An administrator reading from outside has no place in the chat to keep.
        if document().hidden() || !state.info.with_untracked(|c| c.is_member) {
            return;
        }
        let bottom = element.scroll_top() + element.client_height();
        let Some(seen) = last_row_above(&element, bottom) else { return };
        if seen <= read_up_to.get_value() {
            return;
        }
        read_up_to.set_value(seen);
        if read_sending.get_value() {
            return;
        }
        read_sending.set_value(true);
        spawn_local(async move {
            let mut sent = 0;
            while let Some(wanted) = read_up_to.try_get_value().filter(|w| *w > sent) {
                sent = wanted;
                if crate::api::read_up_to(chat_id, wanted).await.is_err() {
                    break;
                }
            }
            let _ = read_sending.try_set_value(false);
        });
    };

    let check = move || {
        let Some(element) = scroller.get_untracked() else { return };
        let top = element.scroll_top();
        let below = element.scroll_height() - top - element.client_height();
        let window = state.window.get_untracked();
        let len = state.messages.with_untracked(Vec::len);
        let end = below < AT_END_PX && window.reaches_end(len) && !state.has_newer.get_untracked();
        if at_end.get_untracked() != end {
            at_end.set(end);
        }
        let visible = !document().hidden();
        chats.set_reading((end && visible).then_some(chat_id));
        mark_read();
        if top < EDGE_PX {
            go_up(state, scroller, loading);
        } else if below < EDGE_PX {
            go_down(state, scroller, loading);
        }
    };
    let frame_pending = StoredValue::new(false);
    let on_scroll = move |_| {
        if frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        request_animation_frame(move || {
            let _ = frame_pending.try_set_value(false);
            check();
        });
    };
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| check());
    on_cleanup(move || {
        visibility.remove();
        chats.set_reading(None);
    });

    // Land on the first unread message, or at the end.
    Effect::new(move |done: Option<bool>| {
        let Some(element) = scroller.get() else { return false };
        if done == Some(true) {
            return true;
        }
        request_animation_frame(move || {
            let landing = state
                .land_at
                .and_then(|id| document().query_selector(&format!("li[data-id=\"{id}\"]")).ok().flatten());
            match document().get_element_by_id("unread-line") {
                _ if landing.is_some() => {
                    let options = ScrollIntoViewOptions::new();
                    options.set_block(ScrollLogicalPosition::Center);
                    if let Some(row) = landing {
                        row.scroll_into_view_with_scroll_into_view_options(&options);
                    }
                }
                Some(line) if state.first_unread.is_some() => {
                    let options = ScrollIntoViewOptions::new();
                    options.set_block(ScrollLogicalPosition::Start);
                    line.scroll_into_view_with_scroll_into_view_options(&options);
                }
                _ => element.set_scroll_top(element.scroll_height()),
            }
            check();
        });
        true
    });
    // Asked to show the end (the person sent a message, or pressed the jump button).
    Effect::new(move |previous: Option<u32>| {
        let asked = state.scroll_to_end.get();
        if previous.is_some_and(|p| p != asked) {
            request_animation_frame(move || {
                if let Some(element) = scroller.get_untracked() {
                    element.set_scroll_top(element.scroll_height());
                }
                check();
            });
        }
        asked
    });

    // A message pinned or unpinned above the timeline changes its height: one at the end stays there.
    Effect::new(move |previous: Option<bool>| {
        let pinned = state.info.with(|c| c.pinned.is_some());
        if previous.is_some_and(|was| was != pinned) && at_end.get_untracked() {
            request_animation_frame(move || {
                if let Some(element) = scroller.get_untracked() {
                    element.set_scroll_top(element.scroll_height());
                }
            });
        }
        pinned
    });
    connection.on_chat_event(move |event| match event {
        ServerEvent::MessageCreated { message, .. } if message.chat_id == chat_id => {
            let follow = at_end.get_untracked();
            state.apply_live(message.clone());
            if follow {
                state.scroll_to_end.update(|n| *n += 1);
            }
        }
        ServerEvent::MessageUpdated { message, .. } if message.chat_id == chat_id => {
            state.apply_live(message.clone())
        }
        ServerEvent::Resync { .. } => catch_up(state, scroller, loading),
        _ => {}
    });
    // A fresh connection replays nothing: fetch what may have come meanwhile.
    Effect::new(move |previous: Option<u32>| {
        let starts = connection.fresh_starts();
        if previous.is_some_and(|p| p != starts) {
            catch_up(state, scroller, loading);
        }
        starts
    });
    // Messages the outbox got confirmed, in case the live connection did not bring them.
    Effect::new(move |_| {
        for message in outbox.delivered().into_iter().filter(|m| m.chat_id == chat_id) {
            state.apply(message);
        }
    });

    let rows = Memo::new(move |_| {
        let window = state.window.get();
        state.messages.with(|all| rows_of(all, window, state.first_unread))
    });
    // One keyed list for both kinds of rows: each `For` costs its own copy of the keyed diffing.
    let items = move || {
        let shows_end = state.window.with(|w| state.messages.with(|all| w.reaches_end(all.len())))
            && !state.has_newer.get();
        let pending = if shows_end { outbox.pending_in(chat_id) } else { Vec::new() };
        rows.get()
            .into_iter()
            .map(|row| Item::Sent(Box::new(row)))
            .chain(pending.into_iter().map(Item::Pending))
            .collect::<Vec<_>>()
    };
    let jump = move |_| {
        if state.has_newer.get_untracked() {
            spawn_local(async move {
                if let Ok(page) = crate::api::more_messages(chat_id, PageOf::Latest, PAGE).await {
                    let len = page.messages.len();
                    let _ = state.messages.try_set(page.messages);
                    let _ = state.has_older.try_set(page.has_more);
                    let _ = state.has_newer.try_set(false);
                    let _ = state.window.try_set(Window::at_end(len));
                    let _ = state.scroll_to_end.try_update(|n| *n += 1);
                }
            });
        } else {
            let len = state.messages.with_untracked(Vec::len);
            state.window.set(Window::at_end(len));
            state.scroll_to_end.update(|n| *n += 1);
        }
    };
    let empty = move || state.messages.with(Vec::is_empty) && outbox.pending_in(chat_id).is_empty();
    view! { class=class,
        <div class="wrap">
            <div
                class="timeline"
                node_ref=scroller
                tabindex="0"
                role="region"
                aria-label=move || i18n.t().messages_label
                on:scroll=on_scroll
            >
                {move || {
                    let t = i18n.t();
                    let start = state.window.with(|w| w.start == 0) && !state.has_older.get();
                    if empty() {
                        view! { <EmptyState symbol="✉️" title=t.no_messages_title text=t.no_messages_text /> }.into_any()
                    } else if start {
                        view! { class=class, <p class="edge">{t.chat_start}</p> }.into_any()
                    } else {
                        view! { class=class, <p class="edge" aria-hidden="true">{loading.get().then_some(t.loading)}</p> }.into_any()
                    }
                }}
                <ol aria-live="polite" aria-relevant="additions">
                    <For each=items key=item_key let:item>
                        {match item {
                            Item::Sent(row) => view! { <MessageRow row=*row /> }.into_any(),
                            Item::Pending(pending) => view! { <PendingRow pending=pending /> }.into_any(),
                        }}
                    </For>
                </ol>
            </div>
            {move || (!at_end.get()).then(|| {
                let t = i18n.t();
                let unread = chats.unread(chat_id);
                let label = if unread > 0 {
                    fill(t.jump_to_end_unread, &[("n", &unread.to_string())])
                } else {
                    t.jump_to_end.to_string()
                };
                view! { class=class,
                    <button type="button" class="jump" aria-label=label on:click=jump>
                        "↓"{(unread > 0).then(|| view! { class=class, <span class="count" aria-hidden="true">{unread}</span> })}
                    </button>
                }
            })}
        </div>
    }
}

enum Item {
    Sent(Box<Row>),
    Pending(Pending),
}

/// What a row's look depends on: a change of any of it draws the row again.
fn item_key(item: &Item) -> (i64, u64) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    let row = match item {
        Item::Sent(row) => row,
        Item::Pending(pending) => {
            // Unsent rows come after every sent one: negative ids never meet a message's. A row follows
            // its delivery by itself.
            pending.client_id.hash(&mut hasher);
            return (-1, hasher.finish());
        }
    };
    let m = &row.message;
    // The text itself, not only `edited_at`: two edits within a second share their `edited_at`.
    (&m.text, &m.edited_at, m.deleted, m.read_count, row.starts_day, row.continues, row.first_unread)
        .hash(&mut hasher);
    for mention in &m.mentions {
        mention.user_id.hash(&mut hasher);
    }
    for reaction in &m.reactions {
        (&reaction.emoji, &reaction.user_ids).hash(&mut hasher);
    }
    m.reply_to.as_ref().map(|q| (q.deleted, &q.text)).hash(&mut hasher);
    if let Some(poll) = &m.poll {
        (poll.closed, poll.voter_count, &poll.my_choices).hash(&mut hasher);
        for option in &poll.options {
            (option.votes, &option.voter_ids).hash(&mut hasher);
        }
    }
    m.ack.as_ref().map(|ack| (&ack.user_ids, ack.asked)).hash(&mut hasher);
    (m.id, hasher.finish())
}

/// The rows of `window`, each knowing its neighbour above (even when that one is outside the window).
fn rows_of(all: &[Message], window: Window, first_unread: Option<i64>) -> Vec<Row> {
    let end = window.end.min(all.len());
    let start = window.start.min(end);
    let mut previous_day = start.checked_sub(1).map(|i| local_day(&all[i].created_at));
    (start..end)
        .map(|index| {
            let message = &all[index];
            let day = local_day(&message.created_at);
            let starts_day = previous_day.as_ref() != Some(&day);
            previous_day = Some(day);
            let continues = !starts_day && index > 0 && same_group(&all[index - 1], message);
            Row {
                message: message.clone(),
                starts_day,
                continues,
                first_unread: Some(message.id) == first_unread,
            }
        })
        .collect()
}

fn same_group(before: &Message, message: &Message) -> bool {
    let author = |m: &Message| m.author.as_ref().map(|a| a.id);
    let at = |m: &Message| crate::format::parse_time(&m.created_at).map(|d| d.get_time());
    before.kind == MessageKind::Text
        && message.kind == MessageKind::Text
        && author(before) == author(message)
        && matches!((at(before), at(message)), (Some(a), Some(b)) if b - a < GROUP_MS)
}

/// The id of the last message row whose top is above `bottom` (scroll coordinates).
fn last_row_above(scroller: &web_sys::HtmlDivElement, bottom: i32) -> Option<i64> {
    let rows = scroller.query_selector_all("li[data-id]").ok()?;
    (0..rows.length()).rev().find_map(|i| {
        let row: HtmlElement = rows.item(i)?.dyn_into().ok()?;
        (row.offset_top() < bottom).then(|| row.get_attribute("data-id")?.parse().ok()).flatten()
    })
}

/// Changes which rows are drawn without moving what the person is looking at: the first row in view
/// stays at the same height on the screen.
fn keep_in_view(scroller: NodeRef<Div>, change: impl FnOnce()) {
    let Some(element) = scroller.get_untracked() else { return change() };
    let top = element.scroll_top();
    let anchor = element.query_selector_all("li[data-id]").ok().and_then(|rows| {
        (0..rows.length()).find_map(|i| {
            let row: HtmlElement = rows.item(i)?.dyn_into().ok()?;
            (row.offset_top() + row.offset_height() > top)
                .then(|| Some((row.get_attribute("data-id")?, row.offset_top() - top)))
                .flatten()
        })
    });
    change();
    if let Some((id, offset)) = anchor {
        request_animation_frame(move || {
            if let Ok(Some(row)) = element.query_selector(&format!("li[data-id=\"{id}\"]"))
                && let Ok(row) = row.dyn_into::<HtmlElement>()
            {
                element.set_scroll_top(row.offset_top() - offset);
            }
        });
    }
}

fn go_up(state: ChatState, scroller: NodeRef<Div>, loading: RwSignal<bool>) {
    if loading.get_untracked() {
        return;
    }
    let window = state.window.get_untracked();
    if window.start > 0 {
        keep_in_view(scroller, || state.window.set(window.up()));
        return;
    }
    let Some(first) = state.messages.with_untracked(|all| all.first().map(|m| m.id)) else { return };
    if !state.has_older.get_untracked() {
        return;
    }
    loading.set(true);
    spawn_local(async move {
        let page =
            crate::api::more_messages(state.chat.with_value(|c| c.id), PageOf::Before(first), PAGE).await;
        if let Ok(page) = page {
            let older: Vec<Message> = page.messages.into_iter().filter(|m| m.id < first).collect();
            let count = older.len();
            keep_in_view(scroller, || {
                let _ = state.messages.try_update(|all| {
                    all.splice(0..0, older);
                });
                let _ = state.has_older.try_set(page.has_more);
                let _ = state.window.try_update(|w| *w = w.after_prepending(count).up());
            });
        }
        let _ = loading.try_set(false);
    });
}

fn go_down(state: ChatState, scroller: NodeRef<Div>, loading: RwSignal<bool>) {
    if loading.get_untracked() {
        return;
    }
    let window = state.window.get_untracked();
    let len = state.messages.with_untracked(Vec::len);
    if window.end < len {
        keep_in_view(scroller, || state.window.set(window.down(len)));
        return;
    }
    if state.has_newer.get_untracked() {
        load_newer(state, scroller, loading, true);
    }
}

/// Loads the page after the newest loaded message. `move_window` moves the window onto it (the person
/// scrolled down); otherwise it only joins the loaded history (catching up after a reconnection).
fn load_newer(state: ChatState, scroller: NodeRef<Div>, loading: RwSignal<bool>, move_window: bool) {
    let Some(last) = state.messages.with_untracked(|all| all.last().map(|m| m.id)) else { return };
    loading.set(true);
    spawn_local(async move {
        let page =
            crate::api::more_messages(state.chat.with_value(|c| c.id), PageOf::After(last), PAGE).await;
        if let Ok(page) = page {
            let newer: Vec<Message> = page.messages.into_iter().filter(|m| m.id > last).collect();
            keep_in_view(scroller, || {
                let mut lens = (0, 0);
                let _ = state.messages.try_update(|all| {
                    lens.0 = all.len();
                    all.extend(newer);
                    lens.1 = all.len();
                });
                let _ = state.has_newer.try_set(page.has_newer);
                let _ = state.window.try_update(|w| {
                    *w = if move_window { w.down(lens.1) } else { w.after_appending(lens.0, lens.1) }
                });
            });
        }
        let _ = loading.try_set(false);
    });
}

/// After a gap in the live events: the messages after the newest loaded one.
fn catch_up(state: ChatState, scroller: NodeRef<Div>, loading: RwSignal<bool>) {
    if !state.has_newer.get_untracked() && !loading.get_untracked() {
        load_newer(state, scroller, loading, false);
    }
}

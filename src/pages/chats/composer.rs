//! Writing in a chat: a growing text field (Enter sends on a computer, a button on a phone), the
//! draft kept per chat, replies and edits, and what went wrong said above it.

use contract::{ChatMember, MESSAGE_MAX_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;

use super::attachments::{AttachmentChips, Attachments, accept};
use super::chat::use_chat_state;
use super::my_files::MyFilesPicker;
use super::poll::PollForm;
use super::window::Window;
use crate::format::lowercase;
use crate::i18n::{fill, use_i18n};
use crate::state::connection::use_connection;
use crate::state::drafts::{draft, save_draft};
use crate::state::outbox::use_outbox;
use wasm_bindgen::JsCast;

/// How often, at most, the others hear that the person is typing.
const TYPING_EVERY_MS: f64 = 3000.0;

/// From this many characters on, the field shows how many are left.
const COUNT_FROM: usize = MESSAGE_MAX_CHARS - 500;

#[component]
pub fn Composer() -> impl IntoView {
    let class = style! {
        .composer {
            border-top: 1px solid var(--border);
            background: var(--surface);
            padding: var(--space-2) var(--space-3);
        }
        .context,
        .notice {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            margin: 0 auto var(--space-2);
            max-width: 48rem;
            font-size: 0.875rem;
        }
        .context {
            padding-left: var(--space-2);
            border-left: 3px solid var(--accent);
            color: var(--text-muted);
        }
        .context span {
            flex: 1;
            min-width: 0;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
        }
        .notice {
            color: var(--danger);
        }
        .notice span {
            flex: 1;
        }
        .close {
            flex: none;
            width: 2.75rem;
            height: 2.75rem;
            border: none;
            border-radius: 50%;
            background: transparent;
            color: var(--text-muted);
            font-size: 1.125rem;
            cursor: pointer;
        }
        .close:hover {
            background: var(--surface-hover);
        }
        form {
            display: flex;
            align-items: flex-end;
            gap: var(--space-2);
            margin: 0 auto;
            max-width: 48rem;
        }
        textarea {
            flex: 1;
            min-height: 2.75rem;
            max-height: 10rem;
            resize: none;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--background);
            color: var(--text);
            font: inherit;
            line-height: 1.4;
        }
        textarea[aria-invalid="true"] {
            border-color: var(--danger);
        }
        .send {
            flex: none;
            min-width: 2.75rem;
            min-height: 2.75rem;
        }
        .tool {
            flex: none;
            width: 2.75rem;
            height: 2.75rem;
            border: 1px solid transparent;
            border-radius: var(--radius-s);
            background: transparent;
            color: var(--text);
            font-size: 1.25rem;
            cursor: pointer;
        }
        .tool:hover {
            background: var(--surface-hover);
        }
        form {
            position: relative;
        }
        .tools {
            display: flex;
            gap: var(--space-1);
        }
        .more {
            display: none;
            font-size: 1.75rem;
            line-height: 1;
        }
        @media (max-width: 40rem) {
            .more {
                display: inline-block;
            }
            .tools {
                display: none;
            }
            .tools.open {
                display: flex;
                position: absolute;
                bottom: calc(100% + var(--space-2));
                left: 0;
                z-index: 4;
                padding: var(--space-1);
                border: 1px solid var(--border);
                border-radius: var(--radius);
                background: var(--surface);
                box-shadow: var(--shadow);
            }
        }
        .tool[aria-pressed="true"] {
            border-color: var(--accent);
            background: var(--accent-surface);
        }
        .asking {
            margin: 0 auto var(--space-2);
            max-width: 48rem;
            font-size: 0.875rem;
            color: var(--accent-text);
        }
        .poll-form {
            margin: 0 auto;
            max-width: 48rem;
        }
        .count {
            margin: var(--space-1) auto 0;
            max-width: 48rem;
            font-size: 0.8125rem;
            color: var(--text-muted);
            text-align: right;
        }
        .count.over {
            color: var(--danger);
        }
        .mentions {
            position: absolute;
            bottom: calc(100% + var(--space-1));
            left: 0;
            right: 0;
            z-index: 5;
            max-height: 14rem;
            overflow-y: auto;
            margin: 0;
            padding: var(--space-1);
            list-style: none;
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
            box-shadow: var(--shadow);
        }
        .mentions li {
            padding: var(--space-2) var(--space-3);
            min-height: 2.75rem;
            display: flex;
            align-items: center;
            border-radius: var(--radius-s);
            cursor: pointer;
        }
        .mentions li[aria-selected="true"] {
            background: var(--accent-surface);
        }
    };
    let i18n = use_i18n();
    let state = use_chat_state();
    let outbox = use_outbox();
    let chat_id = state.id();
    let me = state.me;
    let text = RwSignal::new(draft(me, chat_id));
    let saving = RwSignal::new(false);
    let polling = RwSignal::new(false);
    // The next message asks every member for «Ознакомлен» (moderators only).
    let ask_ack = RwSignal::new(false);
    let moderates = state.chat.with_value(|c| c.can_moderate);
    let attachments = Attachments::new();
    let picking = RwSignal::new(false);
    // On a phone the tools fold behind «＋», leaving the width to the text.
    let tools_open = RwSignal::new(false);
    let mention = Mentions::new(chat_id, me);
    let field = NodeRef::<leptos::html::Textarea>::new();

    // Editing puts the message's text in the field; leaving the edit brings the draft back. Each has
    // its own picked mentions: the message's are kept while their `@name` stays in the text.
    let draft_mentions = StoredValue::new(Vec::new());
    Effect::new(move |was_editing: Option<bool>| {
        let editing = state.editing.get();
        match &editing {
            Some(message) => {
                if was_editing != Some(true) {
                    draft_mentions.set_value(mention.picked.get_value());
                }
                text.set(message.text.clone());
                mention
                    .picked
                    .set_value(message.mentions.iter().map(|m| (m.user_id, m.name.clone())).collect());
            }
            None if was_editing == Some(true) => {
                mention.forget();
                mention.picked.set_value(draft_mentions.get_value());
                text.set(draft(me, chat_id));
            }
            None => {}
        }
        editing.is_some()
    });

    let length = move || text.with(|t| t.trim().chars().count());
    let too_long = move || length() > MESSAGE_MAX_CHARS;
    let submit = move || {
        let value = text.get_untracked();
        let trimmed = value.trim().to_string();
        let editing = state.editing.get_untracked().is_some();
        let files = if editing { Vec::new() } else { attachments.files() };
        if (trimmed.is_empty() && files.is_empty()) || saving.get_untracked() || attachments.uploading() {
            return;
        }
        if trimmed.chars().count() > MESSAGE_MAX_CHARS {
            let t = i18n.t_untracked();
            state.notice.set(Some(fill(t.message_too_long, &[("n", &MESSAGE_MAX_CHARS.to_string())])));
            return;
        }
        state.notice.set(None);
        if let Some(message) = state.editing.get_untracked() {
            if message.text == trimmed {
                state.editing.set(None);
                return;
            }
            saving.set(true);
            let mentions = mention.in_text(&trimmed);
            spawn_local(async move {
                match crate::api::edit_message(chat_id, message.id, trimmed, mentions).await {
                    Ok(edited) => {
                        let id = edited.id;
                        state.apply(edited);
                        // Leaves the edit, unless the person has meanwhile started editing another
                        // message (the saved one's live update can come before this answer).
                        let _ = state.editing.try_update(|editing| {
                            if editing.as_ref().is_some_and(|m| m.id == id) {
                                *editing = None;
                            }
                        });
                    }
                    Err(error) => state.fail(&error),
                }
                let _ = saving.try_set(false);
            });
            return;
        }
        let reply_to = state.replying_to.get_untracked().map(|m| m.id);
        let mentions = mention.in_text(&trimmed);
        outbox.send(chat_id, trimmed, reply_to, ask_ack.get_untracked(), files, mentions);
        mention.forget();
        ask_ack.set(false);
        attachments.clear();
        picking.set(false);
        text.set(String::new());
        save_draft(me, chat_id, "");
        state.replying_to.set(None);
        // What was sent goes at the end: show the end, loading it first if the person was far up.
        if state.has_newer.get_untracked() {
            spawn_local(async move {
                if let Ok(page) =
                    crate::api::more_messages(chat_id, crate::api::PageOf::Latest, super::chat::PAGE).await
                {
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
            state.window.update(|w| {
                if !w.reaches_end(len) {
                    *w = Window::at_end(len);
                }
            });
            state.scroll_to_end.update(|n| *n += 1);
        }
    };
    let connection = use_connection();
    let typing_said_at = StoredValue::new(0.0f64);
    // Puts the picked member's name in place of `@…` and the caret after it.
    let pick = move |member: ChatMember| {
        let Some(field) = field.get_untracked() else { return };
        let value = field.value();
        let caret = field.selection_start().ok().flatten().unwrap_or(0) as usize;
        let Some((before, after)) = mention.insert(&value, caret, &member) else { return };
        let value = format!("{before}{after}");
        field.set_value(&value);
        let at = before.encode_utf16().count() as u32;
        let _ = field.set_selection_range(at, at);
        let _ = field.focus();
        if state.editing.get_untracked().is_none() {
            save_draft(me, chat_id, &value);
        }
        text.set(value);
    };
    let on_input = move |event| {
        let value = event_target_value(&event);
        if let Some(field) = field.get_untracked() {
            mention.typed(&value, field.selection_start().ok().flatten().unwrap_or(0) as usize);
        }
        if state.editing.get_untracked().is_none() {
            save_draft(me, chat_id, &value);
            // «… печатает» for the others, at most every few seconds.
            let now = js_sys::Date::now();
            if !value.trim().is_empty() && now - typing_said_at.get_value() > TYPING_EVERY_MS {
                typing_said_at.set_value(now);
                connection.typing(chat_id);
            }
        }
        text.set(value);
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        // The list of members offered for `@…` has the keys first.
        if mention.is_open() {
            match event.key().as_str() {
                "ArrowDown" | "ArrowUp" => {
                    event.prevent_default();
                    mention.step(event.key() == "ArrowDown");
                    return;
                }
                "Enter" | "Tab" if !event.is_composing() => {
                    if let Some(member) = mention.chosen() {
                        event.prevent_default();
                        pick(member);
                        return;
                    }
                }
                "Escape" => {
                    event.prevent_default();
                    mention.close();
                    return;
                }
                _ => {}
            }
        }
        match event.key().as_str() {
            // A computer's keyboard: Enter sends, Shift+Enter breaks the line. On a phone the Enter key
            // only ever breaks lines; the button sends.
            "Enter" if !event.shift_key() && !event.is_composing() && has_keyboard() => {
                event.prevent_default();
                submit();
            }
            "Escape"
                if state.editing.get_untracked().is_some() || state.replying_to.get_untracked().is_some() =>
            {
                event.prevent_default();
                state.editing.set(None);
                state.replying_to.set(None);
            }
            _ => {}
        }
    };
    let context = move || {
        let t = i18n.t();
        let (label, quoted, cancel_label) = if let Some(message) = state.editing.get() {
            (t.editing_message.to_string(), message.text, t.cancel_edit)
        } else if let Some(message) = state.replying_to.get() {
            let author = message.author.map(|a| a.name).unwrap_or_default();
            (fill(t.replying_to, &[("name", &author)]), message.text, t.cancel_reply)
        } else {
            return None;
        };
        Some(view! { class=class,
            <div class="context">
                <span><b>{label}</b>" "{quoted}</span>
                <button type="button" class="close" aria-label=cancel_label
                    on:click=move |_| { state.editing.set(None); state.replying_to.set(None); }>"✕"</button>
            </div>
        })
    };
    let notice = move || {
        state.notice.get().map(|message| {
            let t = i18n.t();
            view! { class=class,
                <div class="notice" role="alert">
                    <span>{message}</span>
                    <button type="button" class="close" aria-label=t.dismiss on:click=move |_| state.notice.set(None)>"✕"</button>
                </div>
            }
        })
    };
    let count = move || {
        let n = length();
        (n >= COUNT_FROM).then(|| {
            let t = i18n.t();
            let left = MESSAGE_MAX_CHARS as i64 - n as i64;
            view! { class=class,
                <p class="count" class:over=too_long id="composer-count">
                    {fill(t.characters_left, &[("n", &left.to_string())])}
                </p>
            }
        })
    };
    let editing = move || state.editing.get().is_some();
    view! { class=class,
        <div class="composer">
            {notice}
            <AttachmentChips attachments=attachments />
            {move || picking.get().then(|| view! { <MyFilesPicker attachments=attachments on_done=Callback::new(move |()| picking.set(false)) /> })}
            {move || polling.get().then(|| view! { class=class,
                <div class="poll-form"><PollForm state=state on_done=Callback::new(move |()| polling.set(false)) /></div>
            })}
            {context}
            {move || ask_ack.get().then(|| view! { class=class, <p class="asking" id="composer-asking">{i18n.t().ack_ask_hint}</p> })}
            <form on:submit=move |event| { event.prevent_default(); submit(); }>
                {move || (!editing()).then(|| {
                    let t = i18n.t();
                    view! { class=class,
                        <input
                            id="composer-files"
                            class="visually-hidden"
                            type="file"
                            multiple
                            tabindex="-1"
                            aria-hidden="true"
                            accept=accept()
                            on:change=move |ev| {
                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                attachments.add(file_list(input.files()), i18n.t_untracked());
                                input.set_value("");
                            }
                        />
                        <button type="button" class="tool more" aria-label=t.composer_more aria-controls="composer-tools"
                            aria-expanded=move || tools_open.get().to_string() on:click=move |_| tools_open.update(|o| *o = !*o)>
                            <span aria-hidden="true">"+"</span>
                        </button>
                        <span class="tools" id="composer-tools" class:open=move || tools_open.get()
                            on:click=move |_| tools_open.set(false)>
                        <button type="button" class="tool" aria-label=t.attach_files title=t.attach_files
                            on:click=move |_| {
                                if let Some(input) = document().get_element_by_id("composer-files") {
                                    input.unchecked_into::<web_sys::HtmlElement>().click();
                                }
                            }>
                            <span aria-hidden="true">"📎"</span>
                        </button>
                        <button type="button" class="tool" aria-label=t.attach_from_my_files title=t.attach_from_my_files
                            aria-expanded=move || picking.get().to_string() on:click=move |_| picking.update(|p| *p = !*p)>
                            <span aria-hidden="true">"📁"</span>
                        </button>
                        <button type="button" class="tool" aria-label=t.poll_open_form_label title=t.poll_open_form_label
                            aria-expanded=move || polling.get().to_string() on:click=move |_| polling.update(|p| *p = !*p)>
                            <span aria-hidden="true">"📊"</span>
                        </button>
                        {moderates.then(|| view! { class=class,
                            <button type="button" class="tool" aria-label=t.ack_ask title=t.ack_ask
                                aria-pressed=move || ask_ack.get().to_string() on:click=move |_| ask_ack.update(|a| *a = !*a)>
                                <span aria-hidden="true">"☑"</span>
                            </button>
                        })}
                        </span>
                    }
                })}
                <label class="visually-hidden" for="composer-text">{move || i18n.t().message_label}</label>
                {move || mention.is_open().then(|| {
                    let t = i18n.t();
                    let active = mention.active.get();
                    view! { class=class,
                        <ul class="mentions" id="composer-mentions" role="listbox" aria-label=t.mention_list_label>
                            {mention.options().into_iter().enumerate().map(|(index, member)| {
                                let name = member.name.clone();
                                view! { class=class,
                                    <li role="option" id=format!("composer-mention-{}", member.id)
                                        aria-selected=(index == active).to_string()
                                        // Keeps the focus (and the phone's keyboard) in the text field.
                                        on:mousedown=|ev| ev.prevent_default()
                                        on:click=move |_| pick(member.clone())>
                                        {name}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
                <textarea
                    id="composer-text"
                    node_ref=field
                    aria-autocomplete="list"
                    aria-controls=move || mention.is_open().then_some("composer-mentions")
                    aria-activedescendant=move || mention.is_open().then(|| mention.chosen().map(|m| format!("composer-mention-{}", m.id))).flatten()
                    class="grows-with-content"
                    rows="1"
                    enterkeyhint="enter"
                    placeholder=move || i18n.t().message_placeholder
                    aria-invalid=move || too_long().to_string()
                    aria-describedby=move || (length() >= COUNT_FROM).then_some("composer-count")
                    prop:value=move || text.get()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:paste=move |ev: web_sys::ClipboardEvent| {
                        // A picture copied from elsewhere comes as a file: attach it instead of pasting.
                        let files = file_list(ev.clipboard_data().and_then(|data| data.files()));
                        if !files.is_empty() && state.editing.get_untracked().is_none() {
                            ev.prevent_default();
                            attachments.add(files, i18n.t_untracked());
                        }
                    }
                ></textarea>
                <button type="submit" class="button send" disabled=move || saving.get() || attachments.uploading()
                    aria-label=move || if state.editing.get().is_some() { i18n.t().save_edit } else { i18n.t().send }>
                    {move || if state.editing.get().is_some() { "✓" } else { "➤" }}
                </button>
            </form>
            {count}
        </div>
    }
}

/// Members offered while the person types `@` and the start of a name: loaded once, when first
/// needed; and the members picked so far, whose ids go with the message if their name is still in it.
#[derive(Clone, Copy)]
struct Mentions {
    chat_id: i64,
    me: i64,
    members: RwSignal<Option<Vec<ChatMember>>>,
    /// What follows the `@` before the caret, while it may be the start of a name.
    query: RwSignal<Option<String>>,
    active: RwSignal<usize>,
    picked: StoredValue<Vec<(i64, String)>>,
}

/// At most this many members are offered at once.
const MENTION_OPTIONS: usize = 8;

impl Mentions {
    fn new(chat_id: i64, me: i64) -> Self {
        Mentions {
            chat_id,
            me,
            members: RwSignal::new(None),
            query: RwSignal::new(None),
            active: RwSignal::new(0),
            picked: StoredValue::new(Vec::new()),
        }
    }

    /// The text changed, the caret (in UTF-16 units, as the browser counts) at `caret`.
    fn typed(&self, value: &str, caret: usize) {
        let query = mention_query(&before_caret(value, caret)).map(str::to_owned);
        if query.is_some() && self.members.get_untracked().is_none() {
            let (members, chat_id) = (self.members, self.chat_id);
            members.set(Some(Vec::new()));
            spawn_local(async move {
                if let Ok(list) = crate::api::members(chat_id).await {
                    let _ = members.try_set(Some(list));
                }
            });
        }
        self.active.set(0);
        self.query.set(query);
    }

    /// The members whose name has a word starting with the query (reactive).
    fn options(&self) -> Vec<ChatMember> {
        let Some(query) = self.query.get().map(|q| lowercase(&q)) else { return Vec::new() };
        self.members.with(|members| {
            members
                .iter()
                .flatten()
                .filter(|m| m.id != self.me)
                .filter(|m| {
                    let name = lowercase(&m.name);
                    name.starts_with(&query) || name.split_whitespace().any(|word| word.starts_with(&query))
                })
                .take(MENTION_OPTIONS)
                .cloned()
                .collect()
        })
    }

    fn is_open(&self) -> bool {
        self.query.with(Option::is_some) && !self.options().is_empty()
    }

    fn chosen(&self) -> Option<ChatMember> {
        self.options().into_iter().nth(self.active.get())
    }

    fn step(&self, down: bool) {
        let count = self.options().len().max(1);
        self.active.update(|a| *a = if down { (*a + 1) % count } else { (*a + count - 1) % count });
    }

    fn close(&self) {
        self.query.set(None);
    }

    /// The text before and after the caret once `@…` before it is `@<name> `; remembers the member.
    fn insert(&self, value: &str, caret: usize, member: &ChatMember) -> Option<(String, String)> {
        let before = before_caret(value, caret);
        let query = mention_query(&before)?;
        let after = value[before.len()..].to_string();
        let start = before.len() - query.len() - 1;
        let before = format!("{}@{} ", &before[..start], member.name);
        self.picked.update_value(|picked| picked.push((member.id, member.name.clone())));
        self.query.set(None);
        Some((before, after))
    }

    /// The picked members whose `@name` is still in `text`.
    fn in_text(&self, text: &str) -> Vec<i64> {
        self.picked.with_value(|picked| {
            let mut ids: Vec<i64> = Vec::new();
            for (id, name) in picked {
                if text.contains(&format!("@{name}")) && !ids.contains(id) {
                    ids.push(*id);
                }
            }
            ids
        })
    }

    fn forget(&self) {
        self.picked.set_value(Vec::new());
        self.query.set(None);
    }
}

/// The text up to the caret, which the browser gives in UTF-16 units.
fn before_caret(value: &str, caret: usize) -> String {
    let units: Vec<u16> = value.encode_utf16().take(caret).collect();
    String::from_utf16_lossy(&units)
}

/// What follows an `@` at the end of `before` when it may be the start of a name: the `@` begins the
/// text or follows a space, and at most 30 characters come after it, none a space.
fn mention_query(before: &str) -> Option<&str> {
    let at = before.rfind('@')?;
    let query = &before[at + 1..];
    let starts_word = before[..at].chars().next_back().is_none_or(char::is_whitespace);
    let one_word = query.chars().count() <= 30 && !query.chars().any(|c| c.is_whitespace() || c == '@');
    (starts_word && one_word).then_some(query)
}

/// A fine pointer that can hover: a computer with a keyboard, where Enter should send.
fn has_keyboard() -> bool {
    window()
        .match_media("(hover: hover) and (pointer: fine)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

/// The files of a file input, a drop or a paste.
pub fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{before_caret, mention_query};

    #[test]
    fn mention_starts_with_an_at_sign_that_starts_a_word() {
        assert_eq!(mention_query("@"), Some(""));
        assert_eq!(mention_query("Добрый день, @Леб"), Some("Леб"));
        assert_eq!(mention_query("почта anna@school"), None);
        assert_eq!(mention_query("@Анна Леб"), None);
        assert_eq!(mention_query("без собаки"), None);
    }

    #[test]
    fn mention_caret_counts_utf16_units() {
        assert_eq!(before_caret("😀@Ан|на", 5), "😀@Ан");
        assert_eq!(before_caret("Привет", 3), "При");
    }
}

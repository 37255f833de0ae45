use contract::{Chat, ChatKind, EDIT_WINDOW_SECONDS, Message, MessagePage, ServerEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use stylers_macro::style;

use super::composer::Composer;
use super::header::{ChatHeader, Heading, OfflineChat, school_name};
use super::join_bar::JoinBar;
use super::timeline::Timeline;
use super::window::Window;
use crate::api::PageOf;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::format::parse_time;
use crate::hooks::{copy_text, use_load, use_page_title};
use crate::i18n::{I18n, fill, use_i18n};
use crate::routes;
use crate::state::chats::use_chats;
use crate::state::connection::use_connection;
use crate::state::session::use_session;

/// Messages asked for per page.
pub const PAGE: u32 = 50;

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

/// What a chat opens with: its header, the loaded messages, and the first unread one.
#[derive(Clone)]
struct Opening {
    chat: Chat,
    page: MessagePage,
    first_unread: Option<i64>,
    /// The message to show first, when the chat was opened at one.
    land_at: Option<i64>,
}

/// The latest page and the chat come together; when more is unread than that page holds, the chat
/// opens where the unread messages begin instead.
async fn open_chat(id: i64, me: i64) -> Result<Opening, AppError> {
    let (chat, latest) =
        futures::future::join(crate::api::chat(id), crate::api::messages(id, PageOf::Latest, PAGE)).await;
    let chat = chat?;
    let mut page = latest?;
    let first_unread_in = |messages: &[Message], after: i64| {
        messages.iter().find(|m| m.id > after && m.author.as_ref().is_some_and(|a| a.id != me)).map(|m| m.id)
    };
    let mut first_unread = None;
    if chat.unread_count > 0 {
        // Never read anything: everything of others is unread.
        let last_read = chat.last_read_id.unwrap_or(0);
        first_unread = first_unread_in(&page.messages, last_read);
        let covered = page.messages.first().is_some_and(|m| m.id <= last_read) || !page.has_more;
        if !covered {
            let (older, newer) = futures::future::join(
                crate::api::messages(id, PageOf::Before(last_read + 1), PAGE / 2),
                crate::api::messages(id, PageOf::After(last_read), PAGE * 2),
            )
            .await;
            let (older, newer) = (older?, newer?);
            first_unread = first_unread_in(&newer.messages, last_read);
            page = MessagePage {
                has_more: older.has_more,
                has_newer: newer.has_newer,
                messages: older.messages.into_iter().chain(newer.messages).collect(),
            };
        }
    }
    Ok(Opening { chat, page, first_unread, land_at: None })
}

/// A chat opened at one of its messages (a search hit): the pages around it, nothing marked unread.
async fn open_chat_at(id: i64, message_id: i64) -> Result<Opening, AppError> {
    let (chat, older, newer) = futures::future::join3(
        crate::api::chat(id),
        crate::api::messages(id, PageOf::Before(message_id + 1), PAGE / 2),
        crate::api::messages(id, PageOf::After(message_id), PAGE),
    )
    .await;
    let (older, newer) = (older?, newer?);
    let page = MessagePage {
        has_more: older.has_more,
        has_newer: newer.has_newer,
        messages: older.messages.into_iter().chain(newer.messages).collect(),
    };
    Ok(Opening { chat: chat?, page, first_unread: None, land_at: Some(message_id) })
}

/// One chat: its header, its timeline, its composer.
#[component]
pub fn ChatView(
    /// Which chat.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.me().map(|me| me.user.id).unwrap_or_default();
    // `?message=` opens the chat at that message instead.
    let at = use_query_map().with_untracked(|query| query.get("message").and_then(|m| m.parse::<i64>().ok()));
    let loaded = use_load(move || async move {
        match at {
            Some(message_id) => open_chat_at(id, message_id).await,
            None => open_chat(id, me).await,
        }
    });
    // Opened without a connection: loaded again as soon as the live connection is back.
    let connection = use_connection();
    Effect::new(move |previous: Option<u32>| {
        let starts = connection.fresh_starts();
        if previous.is_some_and(|p| p != starts) && loaded.with(|l| matches!(l, Some(Err(_)))) {
            loaded.refetch();
        }
        starts
    });
    let chats = use_chats();
    use_page_title(move || match loaded.get() {
        Some(Ok(opening)) => opening.chat.title,
        _ => chats.summary(id).map_or_else(|| i18n.t().chat_title_loading.to_string(), |chat| chat.title),
    });
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(opening)) => view! { <ChatScreen opening=opening me=me /> }.into_any(),
        Some(Err(AppError::Network)) => {
            view! { <OfflineChat id=id on_retry=move || loaded.refetch() /> }.into_any()
        }
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

/// An open chat's state, shared by its timeline, its rows and its composer.
#[derive(Clone, Copy)]
pub struct ChatState {
    pub me: i64,
    pub i18n: I18n,
    pub chat: StoredValue<Chat>,
    /// Every loaded message, oldest first, without gaps.
    pub messages: RwSignal<Vec<Message>>,
    pub has_older: RwSignal<bool>,
    /// Newer messages exist on the server that are not loaded (the chat opened at its first unread).
    pub has_newer: RwSignal<bool>,
    pub window: RwSignal<Window>,
    /// Above which message the "new messages" line is drawn (fixed while the chat is open).
    pub first_unread: Option<i64>,
    /// The message the chat opened at (a search hit), shown first instead of the end.
    pub land_at: Option<i64>,
    /// The message whose actions menu is open.
    pub menu: RwSignal<Option<i64>>,
    pub replying_to: RwSignal<Option<Message>>,
    pub editing: RwSignal<Option<Message>>,
    /// A sentence about an action that failed, shown above the composer.
    pub notice: RwSignal<Option<String>>,
    /// Asks the timeline to scroll to its end once the next change is drawn.
    pub scroll_to_end: RwSignal<u32>,
    /// The chat as it is now (the header, the right to post, the pinned message): renamed, made an
    /// announcement chat, or the person removed from it while it is open. `chat` is how it opened.
    pub info: RwSignal<Chat>,
}

pub fn use_chat_state() -> ChatState {
    expect_context::<ChatState>()
}

impl ChatState {
    pub fn id(&self) -> i64 {
        self.chat.with_value(|c| c.id)
    }

    /// Puts a message in its place (by id), or replaces the copy already there. A message newer than
    /// what is loaded while newer ones are missing waits to be loaded with them.
    pub fn apply(&self, message: Message) {
        if message.chat_id != self.id() {
            return;
        }
        let newer_missing = self.has_newer.get_untracked();
        let mut added = None;
        self.messages.update(|all| match all.binary_search_by_key(&message.id, |m| m.id) {
            Ok(index) => all[index] = message,
            Err(index) if index == all.len() && newer_missing => {}
            Err(index) => {
                let old_len = all.len();
                all.insert(index, message);
                added = Some((index, old_len));
            }
        });
        if let Some((index, old_len)) = added {
            self.window.update(|window| {
                *window = if index < window.start {
                    window.after_prepending(1)
                } else {
                    window.after_appending(old_len, old_len + 1)
                };
            });
        }
    }

    /// [`ChatState::apply`] for a live event, which carries a poll without the person's own choices:
    /// those already known are kept.
    pub fn apply_live(&self, mut message: Message) {
        if let Some(poll) = message.poll.as_mut().filter(|p| p.my_choices.is_empty()) {
            let id = message.id;
            let known = self.messages.with_untracked(|all| {
                all.iter().find(|m| m.id == id).and_then(|m| m.poll.as_ref()).map(|p| p.my_choices.clone())
            });
            // Choices of options that are still there (the poll cannot change its options, but be safe).
            poll.my_choices = known
                .unwrap_or_default()
                .into_iter()
                .filter(|i| (*i as usize) < poll.options.len())
                .collect();
        }
        self.apply(message);
    }

    pub fn can_edit(&self, message: &Message) -> bool {
        let own = message.author.as_ref().is_some_and(|a| a.id == self.me);
        let recent = parse_time(&message.created_at)
            .is_some_and(|at| js_sys::Date::now() - at.get_time() < f64::from(EDIT_WINDOW_SECONDS) * 1000.0);
        own && recent && !message.deleted && message.kind == contract::MessageKind::Text
    }

    fn find(&self, id: i64) -> Option<Message> {
        self.messages.with_untracked(|all| all.iter().find(|m| m.id == id).cloned())
    }

    pub fn toggle_menu(&self, id: i64) {
        self.menu.update(|menu| *menu = if *menu == Some(id) { None } else { Some(id) });
    }

    /// Closes the menu and gives the focus back to the button that opened it.
    pub fn close_menu(&self, id: i64) {
        self.menu.set(None);
        if let Some(button) = document().get_element_by_id(&format!("more-{id}")) {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(button).focus();
        }
    }

    pub fn start_reply(&self, id: i64) {
        self.menu.set(None);
        self.editing.set(None);
        self.replying_to.set(self.find(id));
        focus_composer();
    }

    pub fn start_edit(&self, id: i64) {
        self.menu.set(None);
        self.replying_to.set(None);
        self.editing.set(self.find(id));
        focus_composer();
    }

    pub fn copy(&self, text: String) {
        self.menu.set(None);
        spawn_local(async move {
            copy_text(&text).await;
        });
    }

    pub fn react(&self, message_id: i64, emoji: String, on: bool) {
        self.menu.set(None);
        let state = *self;
        let chat_id = self.id();
        spawn_local(async move {
            match crate::api::react(chat_id, message_id, &emoji, on).await {
                Ok(message) => state.apply(message),
                Err(error) => state.fail(&error),
            }
        });
    }

    pub fn delete(&self, message_id: i64) {
        self.menu.set(None);
        let t = self.i18n.t_untracked();
        if !window().confirm_with_message(t.delete_confirm).unwrap_or(false) {
            return;
        }
        let state = *self;
        let chat_id = self.id();
        spawn_local(async move {
            match crate::api::delete_message(chat_id, message_id).await {
                Ok(message) => state.apply(message),
                Err(error) => state.fail(&error),
            }
        });
    }

    /// Pins the message above the timeline, or unpins what is pinned (`None`).
    pub fn pin(&self, message_id: Option<i64>) {
        self.menu.set(None);
        let state = *self;
        let chat_id = self.id();
        spawn_local(async move {
            let answer = match message_id {
                Some(id) => crate::api::pin_message(chat_id, id).await,
                None => crate::api::unpin(chat_id).await,
            };
            match answer {
                Ok(chat) => {
                    let _ = state.info.try_set(chat);
                }
                Err(error) => state.fail(&error),
            }
        });
    }

    /// Brings a message into view: drawn in the window if it is loaded, loaded with its neighbours if
    /// not (a pinned message from long ago).
    pub fn show_message(&self, id: i64) {
        let state = *self;
        let scroll = move || {
            request_animation_frame(move || {
                if let Ok(Some(row)) = document().query_selector(&format!("li[data-id=\"{id}\"]")) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Center);
                    row.scroll_into_view_with_scroll_into_view_options(&options);
                }
            });
        };
        if let Some(index) = self.messages.with_untracked(|all| all.iter().position(|m| m.id == id)) {
            let len = self.messages.with_untracked(Vec::len);
            self.window.set(Window::around(index, len));
            scroll();
            return;
        }
        let chat_id = self.id();
        spawn_local(async move {
            let (older, newer) = futures::future::join(
                crate::api::more_messages(chat_id, PageOf::Before(id + 1), PAGE / 2),
                crate::api::more_messages(chat_id, PageOf::After(id - 1), PAGE),
            )
            .await;
            let (Ok(older), Ok(newer)) = (older, newer) else { return };
            let messages: Vec<Message> = older.messages.into_iter().chain(newer.messages).collect();
            let Some(index) = messages.iter().position(|m| m.id == id) else { return };
            let len = messages.len();
            let _ = state.messages.try_set(messages);
            let _ = state.has_older.try_set(older.has_more);
            let _ = state.has_newer.try_set(newer.has_newer);
            let _ = state.window.try_set(Window::around(index, len));
            scroll();
        });
    }

    pub fn fail(&self, error: &AppError) {
        let _ = self.notice.try_set(Some(error.message(self.i18n.t_untracked())));
    }
}

fn focus_composer() {
    if let Some(field) = document().get_element_by_id("composer-text") {
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(field).focus();
    }
}

#[component]
fn ChatScreen(
    /// The chat and what it opens with.
    opening: Opening,
    /// The signed-in person's id.
    me: i64,
) -> impl IntoView {
    let class = style! {
        .chat {
            flex: 1;
            display: flex;
            flex-direction: column;
            min-height: 0;
        }
        .chat {
            position: relative;
        }
        .drop {
            position: absolute;
            inset: var(--space-3);
            z-index: 5;
            display: grid;
            place-items: center;
            margin: 0;
            border: 3px dashed var(--accent);
            border-radius: var(--radius);
            background: var(--accent-surface);
            color: var(--accent-text);
            font-size: 1.25rem;
            font-weight: 600;
            pointer-events: none;
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
        .pinned {
            display: flex;
            align-items: center;
            gap: var(--space-1);
            padding: 0 var(--space-2) 0 var(--space-4);
            border-bottom: 1px solid var(--border);
            background: var(--surface);
            font-size: 0.875rem;
        }
        .pinned-text {
            flex: 1;
            min-width: 0;
            min-height: 2.75rem;
            padding: var(--space-1) 0;
            border: 0;
            background: none;
            color: var(--text);
            font: inherit;
            text-align: left;
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
            cursor: pointer;
        }
        .unpin {
            flex: none;
            width: 2.75rem;
            height: 2.75rem;
            border: 0;
            border-radius: 50%;
            background: none;
            color: var(--text-muted);
            cursor: pointer;
        }
        .unpin:hover {
            background: var(--surface-hover);
        }
    };
    let i18n = use_i18n();
    let Opening { chat, page, first_unread, land_at } = opening;
    let len = page.messages.len();
    let window = match land_at.or(first_unread).and_then(|id| page.messages.iter().position(|m| m.id == id)) {
        Some(index) => Window::around(index, len),
        None => Window::at_end(len),
    };
    let state = ChatState {
        me,
        i18n,
        chat: StoredValue::new(chat.clone()),
        messages: RwSignal::new(page.messages),
        has_older: RwSignal::new(page.has_more),
        has_newer: RwSignal::new(page.has_newer),
        window: RwSignal::new(window),
        first_unread,
        land_at,
        menu: RwSignal::new(None),
        replying_to: RwSignal::new(None),
        editing: RwSignal::new(None),
        notice: RwSignal::new(None),
        scroll_to_end: RwSignal::new(0),
        info: RwSignal::new(chat),
    };
    provide_context(state);
    let info = state.info;
    let gone = RwSignal::new(false);
    let refresh = move || {
        let id = state.id();
        spawn_local(async move {
            match crate::api::chat_again(id).await {
                Ok(now) => {
                    let _ = info.try_set(now);
                }
                Err(error) if error.code() == Some(contract::ErrorCode::NotFound) => {
                    let _ = gone.try_set(true);
                }
                Err(_) => {}
            }
        });
    };
    let connection = use_connection();
    connection.on_chat_event(move |event| {
        if let ServerEvent::ChatUpdated { chat_id, .. } = event
            && *chat_id == state.id()
        {
            refresh();
        }
    });
    Effect::new(move |_| {
        if let Some(ServerEvent::MembershipsChanged) = connection.event() {
            refresh();
        }
    });
    let session = use_session();
    let header = move || {
        let heading = info.with(|chat| Heading {
            id: chat.id,
            title: chat.title.clone(),
            kind: Some(chat.kind),
            member_count: Some(chat.member_count),
            school: school_name(session, chat.school_id).or_else(|| Some(chat.school_name.clone())),
            links: true,
        });
        view! { <ChatHeader heading=heading /> }
    };
    let footer = move || {
        let t = i18n.t();
        if gone.get() {
            return view! { class=class, <p class="readonly" role="status">{t.chat_gone_note}</p> }
                .into_any();
        }
        // A young student reads until a parent confirms them; the banner above says how.
        if session.waiting_for_parent().is_some() {
            return view! { class=class, <p class="readonly">{t.error_child_not_confirmed}</p> }.into_any();
        }
        let (can_post, kind, posting, member) = info.with(|c| (c.can_post, c.kind, c.posting, c.is_member));
        if !member {
            view! { <JoinBar /> }.into_any()
        } else if can_post {
            view! { <Composer /> }.into_any()
        } else if kind == ChatKind::Channel {
            view! { class=class, <p class="readonly">{t.channel_read_only}</p> }.into_any()
        } else if posting == contract::Posting::Managers {
            view! { class=class, <p class="readonly">{t.chat_announcements_note}</p> }.into_any()
        } else {
            ().into_any()
        }
    };
    // Files dropped anywhere on the chat go to the composer's file input, as if chosen there.
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = ev.data_transfer().and_then(|data| data.files());
        if let (Some(files), Some(input)) = (files, document().get_element_by_id("composer-files")) {
            let input: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(input);
            input.set_files(Some(&files));
            if let Ok(change) = web_sys::Event::new("change") {
                let _ = input.dispatch_event(&change);
            }
        }
    };
    let can_attach =
        move || info.with(|c| c.can_post) && !gone.get() && session.waiting_for_parent().is_none();
    view! { class=class,
        <section
            class="chat"
            aria-labelledby="chat-title"
            on:dragover=move |ev: web_sys::DragEvent| {
                if can_attach() {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |ev: web_sys::DragEvent| {
                // Leaving for a child of the chat is not leaving the chat.
                if ev.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=on_drop
        >
            {header}
            {move || info.with(|c| c.pinned.clone().map(|pinned| (pinned, c.can_pin))).map(|(pinned, can_pin)| {
                let t = i18n.t();
                let id = pinned.id;
                let label = fill(t.pinned_show, &[("text", &pinned.text)]);
                view! { class=class,
                    <div class="pinned">
                        <button type="button" class="pinned-text" aria-label=label on:click=move |_| state.show_message(id)>
                            <span aria-hidden="true">"📌 "</span>
                            {pinned.author_name.map(|name| view! { <b>{name}": "</b> })}
                            {pinned.text}
                        </button>
                        {can_pin.then(|| view! { class=class,
                            <button type="button" class="unpin" aria-label=t.unpin title=t.unpin on:click=move |_| state.pin(None)>"✕"</button>
                        })}
                    </div>
                }
            })}
            <Timeline />
            <TypingLine />
            {move || dragging.get().then(|| view! { class=class, <p class="drop" aria-hidden="true">{i18n.t().drop_files_here}</p> })}
            {footer}
        </section>
    }
}

/// How long «… печатает» stays after the last sign of typing, in milliseconds.
const TYPING_SHOWN_MS: f64 = 6000.0;

/// «Анна Петрова печатает…» under the timeline while others type in this chat. Not a live region: a
/// screen reader announcing every keystroke of others would drown the conversation.
#[component]
fn TypingLine() -> impl IntoView {
    let class = style! {
        .typing {
            margin: 0;
            padding: 0 var(--space-4) var(--space-1);
            min-height: 1.25rem;
            color: var(--text-muted);
            font-size: 0.8125rem;
            font-style: italic;
        }
    };
    let i18n = use_i18n();
    let state = use_chat_state();
    let chat_id = state.id();
    // Who is typing, and until when (ms since 1970).
    let typists = RwSignal::new(Vec::<(i64, String, f64)>::new());
    use_connection().on_chat_event(move |event| match event {
        ServerEvent::Typing { chat_id: id, user_id, name } if *id == chat_id => {
            let until = js_sys::Date::now() + TYPING_SHOWN_MS;
            typists.update(|list| {
                list.retain(|(who, ..)| who != user_id);
                list.push((*user_id, name.clone(), until));
            });
            set_timeout(
                move || {
                    let now = js_sys::Date::now();
                    let _ = typists.try_update(|list| list.retain(|(.., until)| *until > now));
                },
                std::time::Duration::from_millis(TYPING_SHOWN_MS as u64 + 100),
            );
        }
        // Sent: no longer typing.
        ServerEvent::MessageCreated { message, .. } if message.chat_id == chat_id => {
            if let Some(author) = &message.author {
                typists.update(|list| list.retain(|(who, ..)| *who != author.id));
            }
        }
        _ => {}
    });
    move || {
        let t = i18n.t();
        let text = typists.with(|list| match list.as_slice() {
            [] => String::new(),
            [(_, name, _)] => fill(t.typing_one, &[("name", name)]),
            [(_, first, _), (_, second, _)] => fill(t.typing_two, &[("first", first), ("second", second)]),
            _ => t.typing_many.to_string(),
        });
        view! { class=class, <p class="typing">{text}</p> }
    }
}

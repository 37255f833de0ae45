//! Searching messages: across the person's chats, or in one chat (`?chat=`); each hit opens its chat
//! at the message.

use contract::{SEARCH_MAX_CHARS, SEARCH_MIN_CHARS, SearchHit};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::format::full_date_time;
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{fill, use_i18n};
use crate::routes;

#[component]
pub fn SearchScreen() -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-2);
            margin-bottom: var(--space-4);
        }
        .field {
            flex: 1;
            min-width: 14rem;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        input {
            font: inherit;
            font-size: 1.0625rem;
            padding: var(--space-3);
            min-height: 3rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .message {
            color: var(--danger);
            font-weight: 600;
            font-size: 0.9375rem;
        }
        .back {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
            margin-bottom: var(--space-2);
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().search_title.to_string());
    let navigate = StoredValue::new_local(use_navigate());
    let query = crate::hooks::use_query();
    let asked = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let chat = Memo::new(move |_| query.with(|q| q.get("chat").and_then(|c| c.parse::<i64>().ok())));
    let text = RwSignal::new(asked.get_untracked());
    let problem = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t_untracked();
        let words = text.get_untracked().trim().to_string();
        let length = words.chars().count();
        if length < SEARCH_MIN_CHARS {
            problem.set(Some(fill(t.search_too_short, &[("n", &SEARCH_MIN_CHARS.to_string())])));
            return;
        }
        if length > SEARCH_MAX_CHARS {
            problem.set(Some(fill(t.search_too_long, &[("n", &SEARCH_MAX_CHARS.to_string())])));
            return;
        }
        problem.set(None);
        let encoded = String::from(js_sys::encode_uri_component(&words));
        let path = match chat.get_untracked() {
            Some(id) => format!("{}?q={encoded}&chat={id}", routes::SEARCH),
            None => format!("{}?q={encoded}", routes::SEARCH),
        };
        navigate.with_value(|navigate| navigate(&path, Default::default()));
    };
    view! { class=class,
        <section class="screen" aria-labelledby="search-heading">
            {move || chat.get().map(|id| view! { class=class,
                <a class="back" href=routes::chat(id)>{format!("← {}", i18n.t().back_to_chat)}</a>
            })}
            <h1 id="search-heading">{move || if chat.get().is_some() { i18n.t().search_in_chat_title } else { i18n.t().search_title }}</h1>
            <form role="search" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="search-words">{move || i18n.t().search_label}</label>
                    <input
                        id="search-words"
                        type="search"
                        autocomplete="off"
                        aria-invalid=move || problem.with(Option::is_some).then_some("true")
                        aria-describedby="search-error"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button">{move || i18n.t().search_button}</button>
            </form>
            <p class="message" id="search-error" aria-live="polite">{move || problem.get()}</p>
            {move || {
                let words = asked.get();
                (!words.trim().is_empty()).then(|| view! { <SearchResults words=words chat=chat.get() /> })
            }}
        </section>
    }
}

#[component]
fn SearchResults(words: String, chat: Option<i64>) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
        }
        li + li {
            border-top: 1px solid var(--border);
        }
        a {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-3);
            color: var(--text);
            text-decoration: none;
        }
        a:hover {
            background: var(--surface-hover);
        }
        .where {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            color: var(--text-muted);
            font-size: 0.875rem;
        }
        .chat {
            font-weight: 600;
            color: var(--accent-text);
        }
        .text {
            overflow-wrap: anywhere;
            max-height: 5rem;
            overflow: hidden;
        }
        .count {
            margin: 0 0 var(--space-2);
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let asked = words.clone();
    let hits = use_load(move || api::search(asked.clone(), chat));
    move || match hits.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || hits.refetch() /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            let t = i18n.t();
            view! { <EmptyState symbol="🔍" title=t.search_nothing_title text=t.search_nothing_text /> }
                .into_any()
        }
        Some(Ok(list)) => {
            let t = i18n.t();
            let lang = i18n.lang();
            let count = fill(t.search_found, &[("n", &list.len().to_string()), ("words", &words)]);
            let rows = list
                .into_iter()
                .map(|SearchHit { chat_id, chat_title, message }| {
                    let author = message.author.map(|a| a.name).unwrap_or_default();
                    view! { class=class,
                        <li>
                            <a href=routes::chat_at(chat_id, message.id)>
                                <span class="where">
                                    <span class="chat">{chat_title}</span>
                                    <span>{author}</span>
                                    <time datetime=message.created_at.clone()>{full_date_time(&message.created_at, lang)}</time>
                                </span>
                                <span class="text">{message.text}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! { class=class, <p class="count" role="status">{count}</p><ul>{rows}</ul> }.into_any()
        }
    }
}

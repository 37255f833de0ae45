//! «Новый чат» in one school: write to someone safe mode allows (the 1:1 there is, or a new one), and
//! for staff a new group or subject chat, whose members are added on its info screen next.

use contract::{
    CHAT_DESCRIPTION_MAX_CHARS, CHAT_TITLE_MAX_CHARS, ChatKind, Contact, FieldProblem, InviteTarget, NewChat,
    Posting, Role,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use super::list::{kind_name, role_name};
use crate::api::{self, PeopleFor};
use crate::components::{Avatar, EmptyState, ErrorNotice, Loading, TeacherBadge, TextField};
use crate::error::{AppError, field_message};
use crate::format::lowercase;
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, fill, use_i18n};
use crate::routes;
use crate::state::session::use_session;

#[component]
pub fn NewChatScreen(school_id: i64) -> impl IntoView {
    let class = style! {
        .columns {
            display: grid;
            gap: var(--space-6);
            align-items: start;
        }
        @media (min-width: 72rem) {
            .columns.two {
                grid-template-columns: 1fr 1fr;
            }
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    use_page_title(move || i18n.t().new_chat_title.to_string());
    let roles = move || {
        session
            .me()
            .and_then(|me| me.schools.into_iter().find(|s| s.school.id == school_id))
            .map(|s| s.roles)
            .unwrap_or_default()
    };
    let staff = move || roles().iter().any(|r| matches!(r, Role::Admin | Role::Teacher));
    view! { class=class,
        <section class="screen" aria-labelledby="new-chat-heading">
            <h1 id="new-chat-heading">{move || i18n.t().new_chat_title}</h1>
            <div class="columns" class:two=staff>
                <WriteTo school_id=school_id />
                {move || staff().then(|| {
                    let admin = roles().contains(&Role::Admin);
                    view! { <NewGroup school_id=school_id admin=admin /> }
                })}
            </div>
        </section>
    }
}

/// Whether `contact` matches what was typed: any word of the query in the name or a class.
pub fn matches(contact: &Contact, query: &str) -> bool {
    let query = lowercase(query.trim());
    if query.is_empty() {
        return true;
    }
    let name = lowercase(&contact.name);
    let classes: Vec<String> = contact.classes.iter().map(|c| lowercase(c)).collect();
    query.split_whitespace().all(|word| name.contains(word) || classes.iter().any(|c| c.contains(word)))
}

/// «учитель · 7Б, 8А»: what a person is in the school.
pub fn about(contact: &Contact, t: &'static Strings) -> String {
    let mut parts: Vec<String> = contact.roles.iter().map(|r| role_name(*r, t).to_string()).collect();
    if !contact.classes.is_empty() {
        parts.push(contact.classes.join(", "));
    }
    parts.join(" · ")
}

/// The people the person may write to, filtered by what they type; choosing one opens the 1:1.
#[component]
fn WriteTo(school_id: i64) -> impl IntoView {
    let class = style! {
        section {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        h2 {
            margin: 0;
            font-size: 1.25rem;
        }
        .note {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
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
            width: 100%;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
            max-height: 28rem;
            overflow-y: auto;
        }
        li + li {
            border-top: 1px solid var(--border);
        }
        button {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            width: 100%;
            min-height: 3.5rem;
            padding: var(--space-2) var(--space-3);
            border: 0;
            background: none;
            color: var(--text);
            font: inherit;
            text-align: left;
            cursor: pointer;
        }
        button:hover {
            background: var(--surface-hover);
        }
        button:focus-visible {
            outline-offset: -3px;
        }
        .none {
            margin: 0;
            padding: var(--space-3);
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let navigate = StoredValue::new_local(use_navigate());
    let people = use_load(move || api::people(school_id, PeopleFor::Direct));
    let query = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let open = use_submit();
    let write_to = move |user_id: i64| {
        failure.set(None);
        open.run(async move {
            match api::start_direct(school_id, user_id).await {
                Ok(chat) => {
                    navigate.with_value(|navigate| navigate(&routes::chat(chat.id), Default::default()))
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    view! { class=class,
        <section aria-labelledby="write-to-heading">
            <h2 id="write-to-heading">{move || i18n.t().write_to_title}</h2>
            <p class="note">{move || i18n.t().safe_mode_note}</p>
            {move || match people.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || people.refetch() /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="🛡️" title=t.people_none_title text=t.safe_mode_note /> }.into_any()
                }
                Some(Ok(list)) => {
                    let list = StoredValue::new(list);
                    let t = i18n.t();
                    view! { class=class,
                        <label for="people-search">{t.people_search}</label>
                        <input
                            id="people-search"
                            type="search"
                            autocomplete="off"
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev))
                        />
                        {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
                        {move || {
                            let t = i18n.t();
                            let shown: Vec<Contact> = list.with_value(|all| {
                                query.with(|q| all.iter().filter(|c| matches(c, q)).cloned().collect())
                            });
                            if shown.is_empty() {
                                return view! { class=class, <p class="none" role="status">{t.people_no_match}</p> }.into_any();
                            }
                            let rows = shown
                                .into_iter()
                                .map(|contact| {
                                    let id = contact.id;
                                    let label = fill(t.write_to, &[("name", &contact.name)]);
                                    view! { class=class,
                                        <li>
                                            <button
                                                type="button"
                                                aria-label=label
                                                disabled=move || open.pending()
                                                on:click=move |_| write_to(id)
                                            >
                                                <PersonLine contact=contact />
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! { class=class, <ul>{rows}</ul> }.into_any()
                        }}
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

const FIELDS: [&str; 3] = ["title", "description", "class_id"];

fn problem_text(field: &str, problem: FieldProblem, t: &'static Strings) -> &'static str {
    match (field, problem) {
        ("title", FieldProblem::TooLong) => t.chat_title_too_long,
        ("title", _) => t.chat_title_required,
        ("description", _) => t.chat_description_too_long,
        ("class_id", _) => t.chat_class_required,
        _ => field_message(problem, t),
    }
}

/// A new group or subject chat of the person's classes (any class, or none, for an administrator).
#[component]
fn NewGroup(school_id: i64, admin: bool) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            padding: var(--space-4);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
        }
        h2 {
            margin: 0;
            font-size: 1.25rem;
        }
        .lead {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label,
        legend {
            font-weight: 600;
        }
        select {
            font: inherit;
            font-size: 1.0625rem;
            padding: var(--space-3);
            min-height: 3rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        select[aria-invalid="true"] {
            border-color: var(--danger);
            border-width: 2px;
        }
        fieldset {
            border: 0;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .choice {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-height: 2.75rem;
            font-weight: 400;
        }
        .choice input {
            width: 1.25rem;
            height: 1.25rem;
            margin: 0;
        }
        .message {
            color: var(--danger);
            font-size: 0.9375rem;
            font-weight: 600;
        }
    };
    let i18n = use_i18n();
    let navigate = StoredValue::new_local(use_navigate());
    // The classes the person may invite to are the ones they may make chats for.
    let targets = use_load(move || api::invite_targets(school_id));
    let kind = RwSignal::new(ChatKind::Group);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let class_id = RwSignal::new(None::<i64>);
    let posting = RwSignal::new(Posting::Everyone);
    let problems = RwSignal::new(Vec::<(&'static str, FieldProblem)>::new());
    let failure = RwSignal::new(None::<AppError>);
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            problems.with(|list| {
                list.iter().find(|(f, _)| *f == field).map(|(f, p)| problem_text(f, *p, i18n.t()).to_string())
            })
        })
    };
    let classes = move || {
        targets.with(|answer| match answer {
            Some(Ok(options)) => options
                .iter()
                .filter_map(|o| match o.target {
                    InviteTarget::Class { class_id } => Some((class_id, o.name.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    // A teacher's chat belongs to one of their classes: the first is chosen until they pick another.
    Effect::new(move |_| {
        if !admin && class_id.get_untracked().is_none() {
            class_id.set(classes().first().map(|(id, _)| *id));
        }
    });

    let save = use_submit();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let name = title.get_untracked().trim().to_string();
        let about = description.get_untracked().trim().to_string();
        let mut found = Vec::new();
        if name.is_empty() {
            found.push(("title", FieldProblem::Required));
        } else if name.chars().count() > CHAT_TITLE_MAX_CHARS {
            found.push(("title", FieldProblem::TooLong));
        }
        if about.chars().count() > CHAT_DESCRIPTION_MAX_CHARS {
            found.push(("description", FieldProblem::TooLong));
        }
        if !admin && class_id.get_untracked().is_none() {
            found.push(("class_id", FieldProblem::Required));
        }
        problems.set(found.clone());
        if !found.is_empty() {
            focus_first_problem(&found);
            return;
        }
        let body = NewChat {
            kind: kind.get_untracked(),
            title: name,
            description: (!about.is_empty()).then_some(about),
            class_id: class_id.get_untracked(),
            member_ids: Vec::new(),
            posting: posting.get_untracked(),
        };
        save.run(async move {
            match api::create_chat(school_id, &body).await {
                Ok(chat) => {
                    navigate.with_value(|navigate| navigate(&routes::chat_info(chat.id), Default::default()))
                }
                Err(error) => {
                    let found: Vec<_> =
                        FIELDS.into_iter().filter_map(|f| error.problem_of(f).map(|p| (f, p))).collect();
                    if found.is_empty() {
                        failure.set(Some(error));
                    } else {
                        focus_first_problem(&found);
                        problems.set(found);
                    }
                }
            }
        });
    };

    move || {
        let t = i18n.t();
        let class_options = classes()
            .into_iter()
            .map(|(id, name)| view! { <option value=id.to_string() selected=move || class_id.get() == Some(id)>{name}</option> })
            .collect_view();
        view! { class=class,
            <form on:submit=on_submit novalidate aria-labelledby="new-group-heading">
                <h2 id="new-group-heading">{t.new_group_title}</h2>
                <p class="lead">{t.new_group_lead}</p>
                <fieldset>
                    <legend>{t.chat_kind_field}</legend>
                    {[ChatKind::Group, ChatKind::Subject].map(|choice| view! { class=class,
                        <label class="choice">
                            <input type="radio" name="chat-kind" prop:checked=move || kind.get() == choice on:change=move |_| kind.set(choice) />
                            {kind_name(choice, t)}
                        </label>
                    })}
                </fieldset>
                <TextField id="chat-title" label=t.chat_title_field hint=t.chat_title_hint value=title error=error_of("title") autocomplete="off" />
                <TextField id="chat-description" label=t.chat_description_field hint=t.chat_description_hint value=description error=error_of("description") autocomplete="off" />
                <div class="field">
                    <label for="chat-class">{t.chat_class_field}</label>
                    <select
                        id="chat-class"
                        aria-describedby="chat-class-error"
                        aria-invalid=move || error_of("class_id").with(Option::is_some).then_some("true")
                        on:change=move |ev| class_id.set(event_target_value(&ev).parse().ok())
                    >
                        {admin.then(|| view! { <option value="" selected=move || class_id.get().is_none()>{t.chat_no_class}</option> })}
                        {class_options}
                    </select>
                    <span class="message" id="chat-class-error" aria-live="polite">{move || error_of("class_id").get()}</span>
                </div>
                <PostingField posting=posting />
                {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
                <div>
                    <button type="submit" class="button" disabled=move || save.pending()>{t.create_chat}</button>
                </div>
            </form>
        }
    }
}

/// A person as a line of a list: avatar, name with the «учитель» badge, and what they are in the school.
#[component]
pub fn PersonLine(contact: Contact) -> impl IntoView {
    let class = style! {
        .who {
            display: flex;
            flex-direction: column;
            min-width: 0;
        }
        .name {
            font-weight: 600;
        }
        .about {
            color: var(--text-muted);
            font-size: 0.875rem;
        }
    };
    let i18n = use_i18n();
    view! { class=class,
        <Avatar id=contact.id name=contact.name.clone() />
        <span class="who">
            <span class="name">
                {contact.name.clone()}
                {contact.teacher_verified.then(|| view! { <TeacherBadge /> })}
            </span>
            <span class="about">{move || about(&contact, i18n.t())}</span>
        </span>
    }
}

/// «Кто может писать»: every member, or only the chat's managers.
#[component]
pub fn PostingField(posting: RwSignal<Posting>) -> impl IntoView {
    let class = style! {
        fieldset {
            border: 0;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        legend {
            font-weight: 600;
        }
        .choice {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-height: 2.75rem;
        }
        .choice input {
            width: 1.25rem;
            height: 1.25rem;
            margin: 0;
        }
    };
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        view! { class=class,
            <fieldset>
                <legend>{t.posting_legend}</legend>
                {[(Posting::Everyone, t.posting_everyone), (Posting::Managers, t.posting_managers)].map(|(choice, text)| view! { class=class,
                    <label class="choice">
                        <input type="radio" name="chat-posting" prop:checked=move || posting.get() == choice on:change=move |_| posting.set(choice) />
                        {text}
                    </label>
                })}
            </fieldset>
        }
    }
}

fn focus_first_problem(found: &[(&'static str, FieldProblem)]) {
    let id = match found.first().map(|(f, _)| *f) {
        Some("title") => "chat-title",
        Some("description") => "chat-description",
        Some("class_id") => "chat-class",
        _ => return,
    };
    if let Some(element) = document().get_element_by_id(id) {
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(element).focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, classes: &[&str]) -> Contact {
        Contact {
            id: 1,
            name: name.to_string(),
            roles: vec![Role::Teacher],
            classes: classes.iter().map(|c| c.to_string()).collect(),
            teacher_verified: false,
        }
    }

    #[test]
    fn a_query_matches_words_of_the_name_or_a_class_in_any_case() {
        let anna = contact("Анна Петрова", &["7Б"]);
        assert!(matches(&anna, ""));
        assert!(matches(&anna, "  "));
        assert!(matches(&anna, "петр"));
        assert!(matches(&anna, "АННА петрова"));
        assert!(matches(&anna, "7б"));
        assert!(matches(&anna, "анна 7б"));
        assert!(!matches(&anna, "анна 8а"));
        assert!(!matches(&anna, "иван"));
    }
}

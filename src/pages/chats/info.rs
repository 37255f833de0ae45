//! A chat's info screen: who can read it (every member sees the list, administrators included), and
//! for its managers the settings (name, description, who may post) and adding or removing members;
//! leaving a group.

use contract::{
    CHAT_DESCRIPTION_MAX_CHARS, CHAT_TITLE_MAX_CHARS, Chat, ChatChanges, ChatKind, ChatMember, Contact,
    FieldProblem, Role, ServerEvent,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use super::list::{kind_name, role_name};
use super::new_chat::{PersonLine, PostingField, matches};
use crate::api::{self, PeopleFor};
use crate::components::{Avatar, EmptyState, ErrorNotice, Loading, TeacherBadge, TextField};
use crate::error::AppError;
use crate::format::plural;
use crate::hooks::{Load, use_load, use_page_title, use_submit};
use crate::i18n::{fill, use_i18n};
use crate::pages::invites::{ClassParentLinks, ParentLinkButton};
use crate::routes;
use crate::state::chats::use_chats;
use crate::state::connection::use_connection;
use crate::state::session::use_session;

#[component]
pub fn ChatInfoScreen(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_load(move || api::chat(id));
    let members = use_load(move || api::members(id));
    use_page_title(move || match chat.get() {
        Some(Ok(chat)) => format!("{} — {}", i18n.t().chat_info_title, chat.title),
        _ => i18n.t().chat_info_title.to_string(),
    });
    // Renamed, members added or removed, by anyone (the person too, elsewhere): show it as it is now.
    let connection = use_connection();
    connection.on_chat_event(move |event| {
        if let ServerEvent::ChatUpdated { chat_id, .. } = event
            && *chat_id == id
        {
            chat.refetch();
            members.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(ServerEvent::MembershipsChanged) = connection.event() {
            chat.refetch();
        }
    });
    // Drawn once when it first loads: a refetch updates the parts that show the chat, and must not
    // rebuild the forms (losing what a manager is typing, or the «Сохранено» just shown).
    let stage = Memo::new(move |_| {
        chat.with(|answer| match answer {
            None => 0,
            Some(Ok(_)) => 1,
            Some(Err(_)) => 2,
        })
    });
    move || match (stage.get() == 1, chat.get_untracked()) {
        (true, Some(Ok(info))) => view! { <ChatInfo info=info chat=chat members=members /> }.into_any(),
        (_, None) => view! { <Loading /> }.into_any(),
        (_, Some(Err(error))) if error.code() == Some(contract::ErrorCode::NotFound) => {
            let t = i18n.t();
            view! {
                <EmptyState symbol="🔒" title=t.chat_unavailable_title text=t.chat_unavailable_text>
                    <a class="button" href=routes::HOME>{t.back_to_chats}</a>
                </EmptyState>
            }
            .into_any()
        }
        (_, Some(Err(error))) => {
            view! { <ErrorNotice error=error on_retry=move || chat.refetch() /> }.into_any()
        }
        (false, Some(Ok(_))) => ().into_any(),
    }
}

#[component]
fn ChatInfo(info: Chat, chat: Load<Chat>, members: Load<Vec<ChatMember>>) -> impl IntoView {
    let class = style! {
        .head {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            margin-bottom: var(--space-4);
        }
        .head h1 {
            margin: 0;
        }
        .sub {
            margin: 0;
            color: var(--text-muted);
        }
        .description {
            margin: 0 0 var(--space-4);
            white-space: pre-wrap;
        }
        .back {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
            margin-bottom: var(--space-2);
        }
        .columns {
            display: grid;
            gap: var(--space-6);
            align-items: start;
        }
        @media (min-width: 72rem) {
            .columns {
                grid-template-columns: 1fr 1fr;
            }
        }
        .leave {
            margin-top: var(--space-6);
        }
    };
    let i18n = use_i18n();
    let id = info.id;
    let symbol = (info.kind == ChatKind::Channel).then_some("📢");
    let manages = info.can_manage && info.kind != ChatKind::Direct;
    let groups = matches!(info.kind, ChatKind::Group | ChatKind::Subject);
    // The chat as last loaded (renamed since this screen was drawn, perhaps).
    let now = move |read: fn(&Chat) -> Option<String>| {
        chat.with(|answer| answer.and_then(|c| c.as_ref().ok()).and_then(read))
    };
    view! { class=class,
        <section class="screen" aria-labelledby="chat-info-heading">
            <a class="back" href=routes::chat(id)>{move || format!("← {}", i18n.t().back_to_chat)}</a>
            <div class="head">
                <Avatar id=id name=info.title.clone() symbol=symbol />
                <div>
                    <h1 id="chat-info-heading">{move || now(|c| Some(c.title.clone()))}</h1>
                    <p class="sub">
                        {
                            let (kind, school) = (info.kind, info.school_name.clone());
                            move || format!("{} · {}", kind_name(kind, i18n.t()), school)
                        }
                    </p>
                </div>
            </div>
            {move || now(|c| c.description.clone()).map(|text| view! { class=class, <p class="description">{text}</p> })}
            <div class="columns">
                <div>
                    {info.class_id.filter(|_| info.can_manage && info.kind == ChatKind::Class).map(|class_id| {
                        view! { <ClassParentLinks class_id=class_id /> }
                    })}
                    <Members
                        chat_id=id
                        members=members
                        can_remove=manages && groups
                        parent_links=(info.can_manage && info.kind == ChatKind::Class).then_some(info.school_id)
                    />
                </div>
                {manages.then(|| view! {
                    <div>
                        <Settings info=info.clone() chat=chat />
                        {groups.then(|| view! { <AddMembers school_id=info.school_id chat_id=id members=members /> })}
                    </div>
                })}
            </div>
            {info.can_leave.then(|| view! { class=class, <div class="leave"><Leave chat_id=id /></div> })}
        </section>
    }
}

/// Everyone who can read the chat, its managers first.
#[component]
fn Members(
    chat_id: i64,
    members: Load<Vec<ChatMember>>,
    can_remove: bool,
    /// The school, when the person may make parent links for the class's students (its teachers and
    /// administrators, in a class chat: the class list the teacher works from).
    parent_links: Option<i64>,
) -> impl IntoView {
    let class = style! {
        h2 {
            margin: 0 0 var(--space-3);
            font-size: 1.25rem;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-2) var(--space-3);
            min-height: 3.5rem;
        }
        li + li {
            border-top: 1px solid var(--border);
        }
        .who {
            flex: 1;
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
        .readers {
            margin: 0 0 var(--space-3);
            max-width: 40rem;
            color: var(--text-muted);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            justify-content: flex-end;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let me = use_session().me().map(|me| me.user.id).unwrap_or_default();
    let failure = RwSignal::new(None::<AppError>);
    let remove = use_submit();
    let on_remove = move |member: ChatMember| {
        let t = i18n.t_untracked();
        let question = fill(t.remove_member_confirm, &[("name", &member.name)]);
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        failure.set(None);
        remove.run(async move {
            match api::remove_member(chat_id, member.id).await {
                Ok(()) => members.refetch(),
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    view! { class=class,
        <section aria-labelledby="members-heading">
            {move || {
                let t = i18n.t();
                let count = members.with(|m| m.and_then(|m| m.as_ref().ok()).map(Vec::len));
                let heading = match count {
                    Some(n) => format!("{} · {}", t.members_title, plural(n as u32, t.members_count, i18n.lang())),
                    None => t.members_title.to_string(),
                };
                view! { class=class,
                    <h2 id="members-heading">{heading}</h2>
                    <p class="readers">{t.members_readers_note}</p>
                }
            }}
            {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
            {move || match members.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || members.refetch() /> }.into_any(),
                Some(Ok(list)) => {
                    let t = i18n.t();
                    let rows = list
                        .into_iter()
                        .map(|member| {
                            let mut notes: Vec<&str> = member.roles.iter().map(|r| role_name(*r, t)).collect();
                            if member.manager {
                                notes.push(t.member_manager);
                            }
                            if !member.can_post {
                                notes.push(t.member_read_only);
                            }
                            if member.id == me {
                                notes.push(t.member_you);
                            }
                            let removable = can_remove && member.id != me;
                            let label = fill(t.remove_member_label, &[("name", &member.name)]);
                            let parent_link = parent_links.filter(|_| member.roles.contains(&Role::Student)).map(|school_id| {
                                let name = fill(t.parent_link_for, &[("name", &member.name)]);
                                view! {
                                    <ParentLinkButton
                                        school_id=school_id
                                        student_id=member.id
                                        label=t.parent_link_button
                                        accessible_name=name
                                        ghost=true
                                    />
                                }
                            });
                            let target = member.clone();
                            view! { class=class,
                                <li>
                                    <Avatar id=member.id name=member.name.clone() />
                                    <span class="who">
                                        <span class="name">
                                            {member.name.clone()}
                                            {member.teacher_verified.then(|| view! { <TeacherBadge /> })}
                                        </span>
                                        <span class="about">{notes.join(" · ")}</span>
                                    </span>
                                    <span class="actions">
                                    {parent_link}
                                    {removable.then(|| view! {
                                        <button
                                            type="button"
                                            class="button button--ghost"
                                            aria-label=label
                                            disabled=move || remove.pending()
                                            on:click=move |_| on_remove(target.clone())
                                        >
                                            {t.remove_member}
                                        </button>
                                    })}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! { class=class, <ul>{rows}</ul> }.into_any()
                }
            }}
        </section>
    }
}

/// Name, description and who may post, for the chat's managers.
#[component]
fn Settings(info: Chat, chat: Load<Chat>) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            padding: var(--space-4);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
            margin-bottom: var(--space-6);
        }
        h2 {
            margin: 0;
            font-size: 1.25rem;
        }
        .actions {
            display: flex;
            align-items: center;
            gap: var(--space-3);
        }
        .saved {
            color: var(--text-muted);
            font-weight: 600;
        }
    };
    let i18n = use_i18n();
    let id = info.id;
    let title = RwSignal::new(info.title.clone());
    let description = RwSignal::new(info.description.clone().unwrap_or_default());
    let posting = RwSignal::new(info.posting);
    let problems = RwSignal::new(Vec::<(&'static str, FieldProblem)>::new());
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            let t = i18n.t();
            problems.with(|list| {
                list.iter().find(|(f, _)| *f == field).map(|(f, p)| match (*f, p) {
                    ("title", FieldProblem::TooLong) => t.chat_title_too_long.to_string(),
                    ("title", _) => t.chat_title_required.to_string(),
                    _ => t.chat_description_too_long.to_string(),
                })
            })
        })
    };
    let save = use_submit();
    let original = StoredValue::new(info);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        saved.set(false);
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
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        // Only what changed: an unchanged name must not add «название изменено» to the timeline.
        let changes = original.with_value(|was| ChatChanges {
            title: (name != was.title).then_some(name),
            description: (Some(&about) != was.description.as_ref()
                && !(about.is_empty() && was.description.is_none()))
            .then_some(about),
            posting: (posting.get_untracked() != was.posting).then_some(posting.get_untracked()),
        });
        if changes == ChatChanges::default() {
            saved.set(true);
            return;
        }
        save.run(async move {
            match api::change_chat(id, &changes).await {
                Ok(now) => {
                    let _ = original.try_set_value(now.clone());
                    let _ = saved.try_set(true);
                    chat.update_ok(|c| *c = now);
                }
                Err(error) => {
                    let found: Vec<_> = ["title", "description"]
                        .into_iter()
                        .filter_map(|f| error.problem_of(f).map(|p| (f, p)))
                        .collect();
                    if found.is_empty() {
                        let _ = failure.try_set(Some(error));
                    } else {
                        let _ = problems.try_set(found);
                    }
                }
            }
        });
    };
    move || {
        let t = i18n.t();
        view! { class=class,
            <form on:submit=on_submit novalidate aria-labelledby="settings-heading">
                <h2 id="settings-heading">{t.chat_settings_title}</h2>
                <TextField id="chat-title" label=t.chat_title_field value=title error=error_of("title") autocomplete="off" />
                <TextField id="chat-description" label=t.chat_description_field hint=t.chat_description_hint value=description error=error_of("description") autocomplete="off" />
                <PostingField posting=posting />
                {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
                <div class="actions">
                    <button type="submit" class="button" disabled=move || save.pending()>{t.chat_save}</button>
                    <span class="saved" role="status">{move || saved.get().then_some(i18n.t().chat_saved)}</span>
                </div>
            </form>
        }
    }
}

/// People a manager may add, filtered by what they type; several at once.
#[component]
fn AddMembers(school_id: i64, chat_id: i64, members: Load<Vec<ChatMember>>) -> impl IntoView {
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
        label.search {
            font-weight: 600;
        }
        input[type="search"] {
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
            max-height: 24rem;
            overflow-y: auto;
        }
        li + li {
            border-top: 1px solid var(--border);
        }
        .person {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-2) var(--space-3);
            min-height: 3.5rem;
            cursor: pointer;
        }
        .person input {
            width: 1.25rem;
            height: 1.25rem;
            margin: 0;
            flex: none;
        }
        .none {
            margin: 0;
            color: var(--text-muted);
        }
        .actions {
            display: flex;
            align-items: center;
            gap: var(--space-3);
        }
        .done {
            font-weight: 600;
        }
    };
    let i18n = use_i18n();
    let chats = use_chats();
    let people = use_load(move || api::people(school_id, PeopleFor::Chat(chat_id)));
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let failure = RwSignal::new(None::<AppError>);
    let added = RwSignal::new(None::<usize>);
    let add = use_submit();
    let on_add = move |_| {
        let ids = chosen.get_untracked();
        if ids.is_empty() {
            return;
        }
        failure.set(None);
        added.set(None);
        add.run(async move {
            match api::add_members(chat_id, ids.clone()).await {
                Ok(now) => {
                    let _ = chosen.try_set(Vec::new());
                    let _ = added.try_set(Some(ids.len()));
                    members.update_ok(|list| *list = now);
                    people.refetch();
                    chats.reload();
                }
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    view! { class=class,
        <section aria-labelledby="add-members-heading">
            <h2 id="add-members-heading">{move || i18n.t().add_members_title}</h2>
            {move || match people.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || people.refetch() /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { class=class, <p class="none">{i18n.t().add_members_none}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    let list = StoredValue::new(list);
                    let t = i18n.t();
                    view! { class=class,
                        <label class="search" for="add-search">{t.people_search}</label>
                        <input
                            id="add-search"
                            type="search"
                            autocomplete="off"
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev))
                        />
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
                                    let input_id = format!("add-{id}");
                                    view! { class=class,
                                        <li>
                                            <label class="person" for=input_id.clone()>
                                                <input
                                                    id=input_id.clone()
                                                    type="checkbox"
                                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| {
                                                            c.retain(|x| *x != id);
                                                            if on {
                                                                c.push(id);
                                                            }
                                                        });
                                                    }
                                                />
                                                <PersonLine contact=contact />
                                            </label>
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
            {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || add.pending() || chosen.with(Vec::is_empty)
                    on:click=on_add
                >
                    {move || fill(i18n.t().add_members_button, &[("n", &chosen.with(Vec::len).to_string())])}
                </button>
                <span class="done" role="status">
                    {move || added.get().map(|n| fill(i18n.t().members_added, &[("n", &n.to_string())]))}
                </span>
            </div>
        </section>
    }
}

/// «Покинуть чат», after a confirmation; back to the chat list.
#[component]
fn Leave(chat_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let chats = use_chats();
    let navigate = StoredValue::new_local(use_navigate());
    let failure = RwSignal::new(None::<AppError>);
    let leave = use_submit();
    let on_leave = move |_| {
        if !window().confirm_with_message(i18n.t_untracked().leave_chat_confirm).unwrap_or(false) {
            return;
        }
        failure.set(None);
        leave.run(async move {
            match api::leave_chat(chat_id).await {
                Ok(()) => {
                    chats.reload();
                    navigate.with_value(|navigate| navigate(routes::HOME, Default::default()));
                }
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    view! {
        {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
        <button type="button" class="button button--danger" disabled=move || leave.pending() on:click=on_leave>
            {move || i18n.t().leave_chat}
        </button>
    }
}

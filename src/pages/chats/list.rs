use contract::{ChatKind, ChatSummary, MyJoinRequest, RequestStatus, Role, ServerEvent, TeacherStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use stylers_macro::style;

use super::system_line::system_sentence;
use crate::components::{Avatar, EmptyState, ErrorNotice, Loading, TeacherBadge};
use crate::error::AppError;
use crate::format::{list_time, lowercase};
use crate::hooks::use_load;
use crate::hooks::use_submit;
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::invites::ParentLinkButton;
use crate::routes;
use crate::state::chats::use_chats;
use crate::state::connection::use_connection;
use crate::state::notifications;
use crate::state::session::use_session;
use web_sys::NotificationPermission;

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
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 600;
        }
        .logo {
            flex: none;
            width: 2.5rem;
            height: 2.5rem;
            object-fit: contain;
            border-radius: var(--radius-s);
            background: var(--surface);
        }
        .roles {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1);
            margin-top: var(--space-1);
        }
        .links {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1) var(--space-4);
            margin-top: var(--space-2);
        }
        .links a {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
        }
        .count {
            display: inline-block;
            margin-left: var(--space-1);
            min-width: 1.5rem;
            padding: 0 0.375rem;
            border-radius: 999px;
            background: var(--accent);
            color: var(--on-accent);
            font-size: 0.8125rem;
            font-weight: 700;
            text-align: center;
        }
        .files {
            margin: var(--space-3) 0 0;
        }
        .files {
            display: flex;
            flex-wrap: wrap;
            gap: 0 var(--space-4);
        }
        .files a {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
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
        let (my_id, schools) = session.me().map(|me| (me.user.id, me.schools)).unwrap_or_default();
        // A young student starts no chat until a parent confirms them (the server refuses it too).
        let may_start_chats = session.waiting_for_parent().is_none();
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
                    let staff = membership.roles.iter().any(|r| matches!(r, Role::Admin | Role::Teacher));
                    let admin = membership.roles.contains(&Role::Admin);
                    let student = membership.roles.contains(&Role::Student);
                    let school_id = membership.school.id;
                    let waiting = membership.pending_decisions;
                    let status = membership.teacher_status;
                    // Only web links: the app talks to any backend and never trusts it with `javascript:`.
                    let journal = membership
                        .school
                        .journal_url
                        .clone()
                        .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
                    let name = membership.school.short_name.unwrap_or(membership.school.name);
                    // Beside the name, which says it all: decorative.
                    let logo = membership.school.logo.map(|version| view! { class=class,
                        <img class="logo" src=crate::api::admin::logo_url(school_id, version) alt="" />
                    });
                    view! { class=class,
                        <li>
                            <span class="school">{logo}{name}</span>
                            <span class="roles">{roles}</span>
                            {status.map(|status| view! { <TeacherStatusLine school_id=school_id status=status /> })}
                            <span class="links">
                                {may_start_chats.then(|| view! {
                                    <a href=routes::new_chat(school_id)>{t.new_chat_link}</a>
                                })}
                                {journal.map(|url| view! {
                                    <a href=url target="_blank" rel="noopener noreferrer">{t.journal_link}</a>
                                })}
                                {admin.then(|| view! {
                                    <a href=routes::admin(school_id, routes::AdminPage::Overview)>{t.admin_link}</a>
                                })}
                                {staff.then(|| view! { class=class,
                                    <a href=routes::invites(school_id)>{t.invites_title}</a>
                                    <a href=routes::requests(school_id)>
                                        {t.requests_title}
                                        {(waiting > 0).then(|| view! { class=class,
                                            <span class="count" aria-label=fill(t.requests_waiting, &[("n", &waiting.to_string())])>{waiting}</span>
                                        })}
                                    </a>
                                })}
                            </span>
                            {student.then(|| view! {
                                <ParentLinkButton school_id=school_id student_id=my_id label=t.parent_invite_button />
                            })}
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
                <p class="files">
                    <a href=routes::MY_FILES>{format!("📁 {}", t.my_files_title)}</a>
                    <a href=routes::SEARCH>{format!("🔍 {}", t.search_title)}</a>
                </p>
            </section>
        }
    }
}

/// Where a teacher's «учитель» status stands, with the way to ask for it.
#[component]
fn TeacherStatusLine(school_id: i64, status: TeacherStatus) -> impl IntoView {
    let class = style! {
        .status {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin: var(--space-2) 0 0;
            font-size: 0.9375rem;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let asking = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let ask = move |_| {
        asking.run(async move {
            match crate::api::request_verification(school_id).await {
                Ok(_) => {
                    if let Ok(Some(me)) = crate::api::me().await {
                        session.set(me);
                    }
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    move || {
        let t = i18n.t();
        let line = match status {
            TeacherStatus::Verified => {
                view! { <span>{t.teacher_status_verified}<TeacherBadge /></span> }.into_any()
            }
            TeacherStatus::Pending => view! { <span>{t.teacher_status_pending}</span> }.into_any(),
            _ => {
                let text = if status == TeacherStatus::Declined {
                    t.teacher_status_declined
                } else {
                    t.teacher_status_unverified
                };
                view! {
                    <span>{text}</span>
                    <button type="button" class="button" on:click=ask disabled=move || asking.pending()>
                        {t.teacher_status_request}
                    </button>
                }
                .into_any()
            }
        };
        view! { class=class,
            <p class="status">{line}</p>
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
        }
    }
}

/// The person's own join requests still waiting, so that leaving the join page loses nothing; gone
/// once decided (the decision arrives live and the chat appears in the list).
#[component]
pub fn MyRequests() -> impl IntoView {
    let class = style! {
        section {
            margin: 0 var(--space-4) var(--space-2);
            padding: var(--space-3);
            border-radius: var(--radius-s);
            background: var(--accent-surface);
        }
        h2 {
            margin: 0 0 var(--space-1);
            font-size: 0.9375rem;
        }
        ul {
            margin: 0;
            padding-left: var(--space-4);
        }
    };
    let i18n = use_i18n();
    let connection = use_connection();
    let requests = use_load(crate::api::my_join_requests);
    Effect::new(move |_| {
        if let Some(ServerEvent::JoinRequestDecided { .. } | ServerEvent::MembershipsChanged) =
            connection.event()
        {
            requests.refetch();
        }
    });
    move || {
        let t = i18n.t();
        let waiting: Vec<MyJoinRequest> = match requests.get() {
            Some(Ok(list)) => list.into_iter().filter(|r| r.status == RequestStatus::Pending).collect(),
            _ => Vec::new(),
        };
        (!waiting.is_empty()).then(|| {
            let rows = waiting
                .into_iter()
                .map(|request| {
                    let text = fill(
                        t.my_request_waiting,
                        &[("place", &request.target_name), ("school", &request.school_name)],
                    );
                    view! { class=class, <li>{text}</li> }
                })
                .collect_view();
            view! { class=class,
                <section aria-labelledby="my-requests-title" role="status">
                    <h2 id="my-requests-title">{t.my_requests_title}</h2>
                    <ul>{rows}</ul>
                </section>
            }
        })
    }
}

/// Every chat and channel of the person, the most recently active first; grouped by school when they
/// belong to several; filtered by what they type.
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
        h3 {
            margin: var(--space-3) 0 0;
            padding: var(--space-1) var(--space-4);
            font-size: 0.9375rem;
        }
        .filter {
            padding: 0 var(--space-4) var(--space-2);
        }
        input {
            font: inherit;
            width: 100%;
            min-height: 2.75rem;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .none {
            margin: 0;
            padding: var(--space-3) var(--space-4);
            color: var(--text-muted);
        }
        .notify {
            min-height: 2.25rem;
            padding: var(--space-1) 0;
            font-size: 0.875rem;
            text-align: left;
        }
    };
    let i18n = use_i18n();
    let chats = use_chats();
    let session = use_session();
    let query = RwSignal::new(String::new());
    let permission = RwSignal::new(notifications::permission());
    let enable_notifications = move |_| {
        notifications::ask(move |answer| {
            let _ = permission.try_set(answer);
        })
    };
    view! { class=class,
        <nav aria-labelledby="chats-title">
            <h2 id="chats-title">{move || i18n.t().chats_title}</h2>
            {move || (permission.get() == NotificationPermission::Default).then(|| view! { class=class,
                <div class="filter">
                    <button type="button" class="button button--ghost notify" on:click=enable_notifications>
                        {move || format!("🔔 {}", i18n.t().notifications_enable)}
                    </button>
                </div>
            })}
            <div class="filter">
                <input
                    type="search"
                    autocomplete="off"
                    aria-label=move || i18n.t().chat_filter_label
                    placeholder=move || i18n.t().chat_filter_label
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            {move || match chats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="💬" title=t.no_chats_title text=t.no_chats_text /> }.into_any()
                }
                Some(Ok(list)) => {
                    let shown: Vec<ChatSummary> =
                        query.with(|q| list.into_iter().filter(|c| chat_matches(c, q, i18n.t())).collect());
                    if shown.is_empty() {
                        return view! { class=class, <p class="none" role="status">{i18n.t().chat_filter_none}</p> }.into_any();
                    }
                    let schools = session.me().map(|me| me.schools).unwrap_or_default();
                    if schools.len() < 2 {
                        return view! { <ChatRows chats=shown /> }.into_any();
                    }
                    schools
                        .into_iter()
                        .filter_map(|membership| {
                            let of_school: Vec<ChatSummary> =
                                shown.iter().filter(|c| c.school_id == membership.school.id).cloned().collect();
                            (!of_school.is_empty()).then(|| {
                                let name = membership.school.short_name.unwrap_or(membership.school.name);
                                view! { class=class, <h3>{name}</h3><ChatRows chats=of_school /> }
                            })
                        })
                        .collect_view()
                        .into_any()
                }
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || chats.reload() /> }.into_any(),
            }}
        </nav>
    }
}

/// Whether a chat's title or last message, as the list shows them, has every word typed, in any case.
fn chat_matches(chat: &ChatSummary, query: &str, t: &Strings) -> bool {
    let title = lowercase(&chat.title);
    let last = chat.last_message.as_ref().map(|_| lowercase(&preview(chat, t))).unwrap_or_default();
    lowercase(query).split_whitespace().all(|word| title.contains(word) || last.contains(word))
}

/// A chat's last message as its row shows it: «Author: text», a system line in the reader's language.
fn preview(chat: &ChatSummary, t: &Strings) -> String {
    match &chat.last_message {
        Some(m) => match &m.author_name {
            Some(author) => format!("{author}: {}", m.text),
            None => system_sentence(m.system.as_ref(), &m.text, t),
        },
        None => t.no_messages_yet.to_string(),
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
        .bottom {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .preview {
            flex: 1;
            display: block;
            color: var(--text-muted);
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
            font-size: 0.9375rem;
        }
        .unread .preview {
            color: var(--text);
        }
        .count {
            flex: none;
            min-width: 1.5rem;
            padding: 0 0.375rem;
            border-radius: 999px;
            background: var(--accent);
            color: var(--on-accent);
            font-size: 0.8125rem;
            font-weight: 700;
            text-align: center;
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
                let preview = preview(chat, t);
                let unread = chat.unread_count;
                let mentions = chat.unread_mentions;
                view! { class=class,
                    <li>
                        <a href=href aria-current=current class:unread={unread > 0}>
                            <Avatar id=chat.id name=chat.title.clone() symbol=symbol />
                            <span class="body">
                                <span class="top">
                                    <span class="title">{chat.title.clone()}</span>
                                    <span class="time">{list_time(&chat.last_activity_at, lang)}</span>
                                </span>
                                <span class="kind">{kind_name(chat.kind, t)}</span>
                                <span class="bottom">
                                    <span class="preview">{preview}</span>
                                    {(mentions > 0 && unread > 0).then(|| view! { class=class,
                                        <span class="count mentioned" aria-label=t.unread_mention_label>"@"</span>
                                    })}
                                    {(unread > 0).then(|| view! { class=class,
                                        <span class="count" aria-label=fill(t.unread_label, &[("n", &unread.to_string())])>{unread}</span>
                                    })}
                                </span>
                            </span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { class=class, <ul>{rows}</ul> }
    }
}

//! The administrator's screens of a school («Управление школой»): the first-day checklist, the
//! school's information, classes, people, statistics, the audit log and the year-end transfer. Invites
//! and requests have their own screens, which the navigation here links to.

mod audit;
mod classes;
mod info;
mod overview;
mod people;
mod person;
mod stats;
mod year_end;

use contract::{Me, Role, ServerEvent};
use leptos::prelude::*;
use stylers_macro::style;

use crate::components::EmptyState;
use crate::i18n::{Strings, fill, use_i18n};
use crate::routes::{self, AdminPage};
use crate::state::connection::use_connection;
use crate::state::session::use_session;

pub use audit::audit_text;

/// One administrator's page of a school, inside its navigation. People who are not administrators of
/// the school see why they cannot use it (the server refuses them too).
#[component]
pub fn AdminScreen(school_id: i64, page: AdminPage) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // A memo: the session changes for other reasons (a logo uploaded here), and redrawing the page
    // then would throw away what the person is typing.
    let is_admin = Memo::new(move |_| session.me().is_some_and(|me| administers(&me, school_id)));
    move || {
        if !is_admin.get() {
            let t = i18n.t();
            return view! { <EmptyState symbol="🔒" title=t.admin_only_title text=t.admin_only_text /> }
                .into_any();
        }
        let body = match page {
            AdminPage::Overview => view! { <overview::Overview school_id=school_id /> }.into_any(),
            AdminPage::Info => view! { <info::InfoPage school_id=school_id /> }.into_any(),
            AdminPage::Classes => view! { <classes::ClassesPage school_id=school_id /> }.into_any(),
            AdminPage::People => view! { <people::PeoplePage school_id=school_id /> }.into_any(),
            AdminPage::Person(user_id) => {
                view! { <person::PersonPage school_id=school_id user_id=user_id /> }.into_any()
            }
            AdminPage::Stats => view! { <stats::StatsPage school_id=school_id /> }.into_any(),
            AdminPage::Audit => view! { <audit::AuditPage school_id=school_id /> }.into_any(),
            AdminPage::YearEnd => view! { <year_end::YearEndPage school_id=school_id /> }.into_any(),
        };
        view! { <AdminFrame school_id=school_id section=Section::of(page)>{body}</AdminFrame> }.into_any()
    }
}

fn administers(me: &Me, school_id: i64) -> bool {
    me.schools.iter().any(|s| s.school.id == school_id && s.roles.contains(&Role::Admin))
}

/// The sections of «Управление школой», in the navigation's order. «Приглашения» and «Заявки» are
/// screens of their own, which teachers use too; for administrators they sit in the same navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Overview,
    Info,
    Classes,
    People,
    Invites,
    Requests,
    Stats,
    Audit,
    YearEnd,
}

impl Section {
    const ALL: [Section; 9] = [
        Section::Overview,
        Section::Info,
        Section::Classes,
        Section::People,
        Section::Invites,
        Section::Requests,
        Section::Stats,
        Section::Audit,
        Section::YearEnd,
    ];

    fn of(page: AdminPage) -> Section {
        match page {
            AdminPage::Overview => Section::Overview,
            AdminPage::Info => Section::Info,
            AdminPage::Classes => Section::Classes,
            // A person's card belongs to «Люди».
            AdminPage::People | AdminPage::Person(_) => Section::People,
            AdminPage::Stats => Section::Stats,
            AdminPage::Audit => Section::Audit,
            AdminPage::YearEnd => Section::YearEnd,
        }
    }

    fn href(self, school_id: i64) -> String {
        match self {
            Section::Overview => routes::admin(school_id, AdminPage::Overview),
            Section::Info => routes::admin(school_id, AdminPage::Info),
            Section::Classes => routes::admin(school_id, AdminPage::Classes),
            Section::People => routes::admin(school_id, AdminPage::People),
            Section::Invites => routes::invites(school_id),
            Section::Requests => routes::requests(school_id),
            Section::Stats => routes::admin(school_id, AdminPage::Stats),
            Section::Audit => routes::admin(school_id, AdminPage::Audit),
            Section::YearEnd => routes::admin(school_id, AdminPage::YearEnd),
        }
    }

    fn label(self, t: &Strings) -> &'static str {
        match self {
            Section::Overview => t.admin_overview,
            Section::Info => t.admin_info,
            Section::Classes => t.admin_classes,
            Section::People => t.admin_people,
            Section::Invites => t.invites_title,
            Section::Requests => t.requests_title,
            Section::Stats => t.admin_stats,
            Section::Audit => t.admin_audit,
            Section::YearEnd => t.admin_year_end,
        }
    }
}

/// A screen of «Управление школой» with the sections beside it (a side menu on a computer; on a phone
/// the list above, folded to the current section except on «Обзор», where it is the way in). For
/// someone who is not an administrator of the school (a teacher on «Заявки»), the screen alone.
#[component]
pub fn AdminFrame(
    school_id: i64,
    /// The section the screen belongs to, marked in the navigation.
    section: Section,
    children: Children,
) -> impl IntoView {
    let class = style! {
        .admin {
            flex: 1 0 auto;
            display: flex;
            flex-direction: column;
            min-width: 0;
        }
        .page {
            flex: 1;
            display: flex;
            flex-direction: column;
            min-width: 0;
        }
        @media (min-width: 56rem) {
            .admin {
                display: grid;
                grid-template-columns: 13.5rem minmax(0, 1fr);
                align-items: stretch;
            }
        }
    };
    let session = use_session();
    let admin = session.me().is_some_and(|me| administers(&me, school_id));
    if !admin {
        return children().into_any();
    }
    view! { class=class,
        <div class="admin">
            <AdminNav school_id=school_id current=section />
            <div class="page">{children()}</div>
        </div>
    }
    .into_any()
}

/// Every section, the current one marked, and on «Заявки» the number of decisions waiting (live:
/// it comes with the session, which the live connection reloads when decisions change).
#[component]
fn AdminNav(school_id: i64, current: Section) -> impl IntoView {
    let class = style! {
        nav {
            flex: none;
            background: var(--surface);
            border-bottom: 1px solid var(--border);
        }
        .toggle {
            display: flex;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-2);
            width: 100%;
            min-height: 3rem;
            padding: 0 var(--space-4);
            border: 0;
            background: none;
            color: var(--text);
            font: inherit;
            text-align: left;
            cursor: pointer;
        }
        .toggle .where {
            flex: 1;
            min-width: 0;
            overflow-wrap: anywhere;
        }
        .toggle .label {
            color: var(--text-muted);
        }
        .toggle .current {
            font-weight: 700;
        }
        .toggle .chevron {
            flex: none;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0 0 var(--space-2);
            display: none;
            flex-direction: column;
        }
        ul[data-open] {
            display: flex;
        }
        a {
            display: flex;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-2);
            min-height: 2.75rem;
            padding: var(--space-1) var(--space-4);
            color: var(--text);
            text-decoration: none;
            border-left: 4px solid transparent;
            overflow-wrap: anywhere;
        }
        a:hover {
            background: var(--surface-hover);
        }
        a[aria-current="page"] {
            border-left-color: var(--accent);
            background: var(--accent-surface);
            font-weight: 700;
        }
        .count {
            flex: none;
            min-width: 1.5rem;
            padding: 0 var(--space-2);
            border-radius: 999px;
            background: var(--accent);
            color: var(--on-accent);
            font-size: 0.875rem;
            font-weight: 700;
            text-align: center;
        }
        @media (min-width: 56rem) {
            nav {
                border-bottom: 0;
                border-right: 1px solid var(--border);
                padding-top: var(--space-3);
            }
            .toggle {
                display: none;
            }
            ul,
            ul[data-open] {
                display: flex;
                position: sticky;
                top: 0;
            }
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let open = RwSignal::new(current == Section::Overview);
    let waiting = Memo::new(move |_| {
        session
            .me()
            .and_then(|me| me.schools.iter().find(|s| s.school.id == school_id).map(|s| s.pending_decisions))
    });
    let links = move || {
        let t = i18n.t();
        Section::ALL
            .into_iter()
            .map(|section| {
                let here = section == current;
                let count = move || {
                    let n = waiting.get().unwrap_or(0);
                    (section == Section::Requests && n > 0).then(|| {
                        let t = i18n.t();
                        view! { class=class,
                            <span class="count" aria-hidden="true">{n}</span>
                            <span class="visually-hidden">{format!(" — {}", fill(t.requests_waiting, &[("n", &n.to_string())]))}</span>
                        }
                    })
                };
                view! { class=class,
                    <li>
                        <a href=section.href(school_id) aria-current=here.then_some("page")>
                            <span>{section.label(t)}</span>
                            {count}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    move || {
        let t = i18n.t();
        view! { class=class,
            <nav aria-label=t.admin_title>
                <button
                    type="button"
                    class="toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="admin-sections"
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    <span class="where">
                        <span class="label">{t.admin_sections}": "</span>
                        <span class="current">{current.label(t)}</span>
                    </span>
                    {move || {
                        let n = waiting.get().unwrap_or(0);
                        (n > 0 && current != Section::Requests).then(|| {
                            let t = i18n.t();
                            view! { class=class,
                                <span class="count" aria-hidden="true">{n}</span>
                                <span class="visually-hidden">{format!(" — {}: {}", t.requests_title, fill(t.requests_waiting, &[("n", &n.to_string())]))}</span>
                            }
                        })
                    }}
                    <span class="chevron" aria-hidden="true">{move || if open.get() { "▴" } else { "▾" }}</span>
                </button>
                <ul id="admin-sections" data-open=move || open.get().then_some("")>{links}</ul>
            </nav>
        }
    }
}

/// Calls `refetch` whenever the server says what a school's counts are made of changed: a request
/// arrived or was decided, people joined, left or moved. Not when the screen first opens: it has
/// just loaded.
pub fn refetch_on_school_change(school_id: i64, refetch: impl Fn() + 'static) {
    let connection = use_connection();
    Effect::new(move |seen: Option<()>| {
        let event = connection.event();
        if seen.is_some()
            && let Some(
                ServerEvent::DecisionsChanged { school_id: changed }
                | ServerEvent::RosterChanged { school_id: changed },
            ) = event
            && changed == school_id
        {
            refetch();
        }
    });
}

/// A role's name in the plural, for headings and filters («Ученики»).
pub fn role_plural(role: Role, t: &Strings) -> &'static str {
    match role {
        Role::Admin => t.roles_admin,
        Role::Teacher => t.roles_teacher,
        Role::Student => t.roles_student,
        Role::Parent => t.roles_parent,
    }
}

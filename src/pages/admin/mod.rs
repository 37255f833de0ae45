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

use contract::Role;
use leptos::prelude::*;
use stylers_macro::style;

use crate::components::EmptyState;
use crate::i18n::{Strings, use_i18n};
use crate::routes::{self, AdminPage};
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
    let is_admin = Memo::new(move |_| {
        session.me().is_some_and(|me| {
            me.schools.iter().any(|s| s.school.id == school_id && s.roles.contains(&Role::Admin))
        })
    });
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
        view! { <AdminNav school_id=school_id page=page /> {body} }.into_any()
    }
}

/// The administrator's pages, the current one marked. A row that scrolls sideways on a phone.
#[component]
fn AdminNav(school_id: i64, page: AdminPage) -> impl IntoView {
    let class = style! {
        nav {
            flex: none;
            border-bottom: 1px solid var(--border);
            background: var(--surface);
            overflow-x: auto;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0 var(--space-2);
            display: flex;
            gap: var(--space-1);
        }
        a {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
            padding: 0 var(--space-3);
            white-space: nowrap;
            color: var(--text);
            text-decoration: none;
            border-bottom: 3px solid transparent;
        }
        a:hover {
            text-decoration: underline;
        }
        a[aria-current="page"] {
            border-bottom-color: var(--accent);
            font-weight: 700;
        }
    };
    let i18n = use_i18n();
    // A person's card belongs to «Люди».
    let current = match page {
        AdminPage::Person(_) => AdminPage::People,
        other => other,
    };
    move || {
        let t = i18n.t();
        let tab = |target: AdminPage, label: &'static str| {
            let here = target == current;
            view! { class=class,
                <li>
                    <a href=routes::admin(school_id, target) aria-current=here.then_some("page")>{label}</a>
                </li>
            }
        };
        view! { class=class,
            <nav aria-label=t.admin_title>
                <ul>
                    {tab(AdminPage::Overview, t.admin_overview)}
                    {tab(AdminPage::Info, t.admin_info)}
                    {tab(AdminPage::Classes, t.admin_classes)}
                    {tab(AdminPage::People, t.admin_people)}
                    <li><a href=routes::invites(school_id)>{t.invites_title}</a></li>
                    <li><a href=routes::requests(school_id)>{t.requests_title}</a></li>
                    {tab(AdminPage::Stats, t.admin_stats)}
                    {tab(AdminPage::Audit, t.admin_audit)}
                    {tab(AdminPage::YearEnd, t.admin_year_end)}
                </ul>
            </nav>
        }
    }
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

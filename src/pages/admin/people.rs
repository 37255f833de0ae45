//! «Люди»: the school's roster, filtered by role, class and status and searched by name; each person
//! opens their card.

use contract::{ClassSummary, PersonStatus, Role, RosterEntry};
use leptos::prelude::*;
use stylers_macro::style;

use super::{refetch_on_school_change, role_plural};
use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading, TeacherBadge};
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::chats::role_name;
use crate::routes::{self, AdminPage};

pub fn status_name(status: PersonStatus, t: &Strings) -> &'static str {
    match status {
        PersonStatus::Active => t.status_active,
        PersonStatus::Pending => t.status_pending,
        PersonStatus::Unverified => t.status_unverified,
    }
}

/// «Учитель, 5А · Родитель, 7Б».
pub fn memberships_text(person: &[contract::Membership], t: &Strings) -> String {
    person
        .iter()
        .map(|m| match &m.class_name {
            Some(class) => format!("{}, {class}", role_name(m.role, t)),
            None => role_name(m.role, t).to_string(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The roster's query string for the filters.
fn query(role: &str, class_id: &str, status: &str, name: &str) -> String {
    let mut parts = Vec::new();
    for (key, value) in [("role", role), ("class_id", class_id), ("status", status), ("q", name.trim())] {
        if !value.is_empty() {
            parts.push(format!("{key}={}", String::from(js_sys::encode_uri_component(value))));
        }
    }
    parts.join("&")
}

#[component]
pub fn PeoplePage(school_id: i64) -> impl IntoView {
    let class = style! {
        .filters {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-3);
            align-items: flex-end;
        }
        .filter {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        select,
        input {
            font: inherit;
            min-height: 2.75rem;
            padding: 0 var(--space-2);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .count {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_people.to_string());
    let params = crate::hooks::use_query();
    let initial = |key: &str| params.with_untracked(|p| p.get(key).unwrap_or_default());
    let role = RwSignal::new(initial("role"));
    let class_id = RwSignal::new(initial("class_id"));
    let status = RwSignal::new(initial("status"));
    let name = RwSignal::new(initial("q"));
    let classes = use_load(move || api::admin::classes(school_id));
    let roster = use_load(move || {
        let q = query(
            &role.get_untracked(),
            &class_id.get_untracked(),
            &status.get_untracked(),
            &name.get_untracked(),
        );
        api::admin::roster(school_id, q)
    });
    refetch_on_school_change(school_id, move || roster.refetch());
    // Every change of a filter asks again; typing is cheap on a school network, and the answer for the
    // last letters wins because each screen-owned request is aborted by the next refetch.
    Effect::new(move |first: Option<()>| {
        role.track();
        class_id.track();
        status.track();
        name.track();
        if first.is_some() {
            roster.refetch();
        }
    });
    let class_options = move || {
        classes
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|c: ClassSummary| {
                let value = c.id.to_string();
                let selected = class_id.get_untracked() == value;
                view! { <option value=value selected=selected>{c.name}</option> }
            })
            .collect_view()
    };
    move || {
        let t = i18n.t();
        let option = |value: &'static str, label: &'static str, current: RwSignal<String>| {
            view! { <option value=value selected=current.get_untracked() == value>{label}</option> }
        };
        view! { class=class,
            <section class="screen" aria-labelledby="people-heading">
                <h1 id="people-heading">{t.admin_people}</h1>
                <div class="filters" role="search" aria-label=t.people_filters>
                    <div class="filter">
                        <label for="people-q">{t.roster_search}</label>
                        <input id="people-q" type="search" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </div>
                    <div class="filter">
                        <label for="people-role">{t.people_role}</label>
                        <select id="people-role" on:change=move |ev| role.set(event_target_value(&ev))>
                            {option("", t.people_any, role)}
                            {option("admin", role_plural(Role::Admin, t), role)}
                            {option("teacher", role_plural(Role::Teacher, t), role)}
                            {option("student", role_plural(Role::Student, t), role)}
                            {option("parent", role_plural(Role::Parent, t), role)}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="people-class">{t.people_class}</label>
                        <select id="people-class" on:change=move |ev| class_id.set(event_target_value(&ev))>
                            {option("", t.people_any, class_id)}
                            {class_options}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="people-status">{t.people_status}</label>
                        <select id="people-status" on:change=move |ev| status.set(event_target_value(&ev))>
                            {option("", t.people_any, status)}
                            {option("active", t.status_active, status)}
                            {option("pending", t.status_pending, status)}
                            {option("unverified", t.status_unverified, status)}
                        </select>
                    </div>
                </div>
                {move || match roster.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        let t = i18n.t();
                        view! { <EmptyState symbol="🔍" title=t.roster_none_title text=t.roster_none_text /> }.into_any()
                    }
                    Some(Ok(list)) => view! { <Roster school_id=school_id list=list /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || roster.refetch() /> }.into_any(),
                }}
            </section>
        }
    }
}

/// People drawn at a time on «Люди».
const ROSTER_PAGE: usize = 100;

#[component]
fn Roster(school_id: i64, list: Vec<RosterEntry>) -> impl IntoView {
    let class = style! {
        .count {
            margin: 0 0 var(--space-2);
            color: var(--text-muted);
        }
        .who {
            font-weight: 600;
            font-size: 1.0625rem;
        }
        .what {
            margin: 0;
            color: var(--text-muted);
        }
        .status {
            font-size: 0.8125rem;
            padding: 0.125rem var(--space-2);
            border-radius: 999px;
            background: var(--surface-sunken);
            border: 1px solid var(--border);
            margin-left: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let list = StoredValue::new(list);
    // A big school's whole roster at once would be thousands of rows on a school computer: a page of
    // them, and more on request (the filters narrow it down faster).
    let shown = RwSignal::new(ROSTER_PAGE);
    let row = move |person: &RosterEntry, t: &'static Strings| {
        let href = routes::admin(school_id, AdminPage::Person(person.id));
        let verified = person.teacher_verified;
        let status = (person.status != PersonStatus::Active).then(|| status_name(person.status, t));
        view! { class=class,
            <li>
                <span>
                    <a class="who" href=href>{person.name.clone()}</a>
                    {verified.then(|| view! { <TeacherBadge /> })}
                    {status.map(|s| view! { class=class, <span class="status">{s}</span> })}
                </span>
                <p class="what">{memberships_text(&person.memberships, t)}</p>
            </li>
        }
    };
    move || {
        let t = i18n.t();
        let total = list.with_value(Vec::len);
        let count = crate::format::plural(total as u32, t.people_count, i18n.lang());
        let rows = list.with_value(|list| list.iter().take(shown.get()).map(|p| row(p, t)).collect_view());
        let rest = total.saturating_sub(shown.get());
        view! { class=class,
            <p class="count" role="status">{count}</p>
            <ul class="card-list">{rows}</ul>
            {(rest > 0).then(|| view! {
                <button type="button" class="button" on:click=move |_| shown.update(|n| *n += ROSTER_PAGE)>
                    {fill(t.roster_more, &[("n", &rest.min(ROSTER_PAGE).to_string()), ("rest", &rest.to_string())])}
                </button>
            })}
        }
    }
}

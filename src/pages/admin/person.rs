//! A person's card: their roles and classes, children and parents, how they joined, and what
//! administrators did about them. Here a role is changed in place and a student moved to another
//! class (history kept), an administrator appointed or removed, a person removed from the school.

use contract::{ClassSummary, Membership, MembershipChange, PersonCard, PersonStatus, Relative, Role};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use super::audit::{audit_meta, audit_text};
use super::people::status_name;
use crate::api;
use crate::components::{ErrorNotice, Loading, TeacherBadge};
use crate::error::AppError;
use crate::format::long_date;
use crate::hooks::{Load, use_load, use_page_title, use_submit};
use crate::i18n::{fill, use_i18n};
use crate::pages::chats::role_name;
use crate::routes::{self, AdminPage};
use crate::state::session::use_session;

#[component]
pub fn PersonPage(school_id: i64, user_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let card = use_load(move || api::admin::person(school_id, user_id));
    let classes = use_load(move || api::admin::classes(school_id));
    use_page_title(move || {
        card.with(|c| c.and_then(|c| c.as_ref().ok()).map(|c| c.name.clone()))
            .unwrap_or_else(|| i18n.t().admin_people.to_string())
    });
    view! {
        <section class="screen" aria-labelledby="person-heading">
            <p><a href=routes::admin(school_id, AdminPage::People)>{move || format!("← {}", i18n.t().admin_people)}</a></p>
            {move || match card.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(person)) => view! { <Card school_id=school_id person=person card=card classes=classes /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || card.refetch() /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Card(
    school_id: i64,
    person: PersonCard,
    card: Load<PersonCard>,
    classes: Load<Vec<ClassSummary>>,
) -> impl IntoView {
    let class = style! {
        h1 {
            margin: 0;
        }
        .status {
            margin: 0;
            color: var(--text-muted);
        }
        dl {
            margin: 0;
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--space-1) var(--space-4);
        }
        dt {
            font-weight: 600;
        }
        dd {
            margin: 0;
        }
        .journal {
            display: flex;
            flex-wrap: wrap;
            gap: 0 var(--space-4);
            margin: var(--space-2) 0 0;
        }
        .journal a {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
        .danger {
            color: var(--danger);
        }
        .meta {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
        }
        .what {
            margin: 0;
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let failure = RwSignal::new(None::<AppError>);
    let working = use_submit();
    let user_id = person.id;
    let is_admin = person.memberships.iter().any(|m| m.role == Role::Admin);
    // An administrator with no other role would leave the school without it: the server refuses,
    // so only «Исключить из школы» is offered for them.
    let only_admin = person.memberships.iter().all(|m| m.role == Role::Admin);
    let is_teacher = person.memberships.iter().any(|m| m.role == Role::Teacher && m.id.is_some());
    let is_me = session.me().is_some_and(|me| me.user.id == user_id);
    let toggle_admin = move |_| {
        working.run(async move {
            let result = if is_admin {
                api::admin::remove_admin(school_id, user_id).await
            } else {
                api::admin::appoint_admin(school_id, user_id).await
            };
            match result {
                Ok(()) => {
                    failure.set(None);
                    card.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let remove = move |_| {
        if !window().confirm_with_message(i18n.t().person_remove_confirm).unwrap_or(false) {
            return;
        }
        working.run(async move {
            match api::admin::remove_person(school_id, user_id).await {
                Ok(()) => navigate.with_value(|navigate| {
                    navigate(&routes::admin(school_id, AdminPage::People), Default::default())
                }),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let person = StoredValue::new(person);
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let p = person.get_value();
        let relatives = |list: &[Relative]| {
            list.iter()
                .map(|r| match &r.class_name {
                    Some(class) => format!("{} ({class})", r.name),
                    None => r.name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let memberships = p
            .memberships
            .iter()
            .filter(|m| m.role != Role::Admin && m.id.is_some())
            .map(|m| view! { <MembershipEditor school_id=school_id membership=m.clone() card=card classes=classes /> })
            .collect_view();
        let history = p
            .history
            .iter()
            .map(|entry| {
                view! { class=class,
                    <li>
                        <p class="what">{audit_text(entry, t)}</p>
                        <p class="meta">{audit_meta(entry, t, lang)}</p>
                    </li>
                }
            })
            .collect_view();
        let has_history = !p.history.is_empty();
        let pending = p.status == PersonStatus::Pending;
        view! { class=class,
            <h1 id="person-heading">{p.name.clone()}{p.teacher_verified.then(|| view! { <TeacherBadge /> })}</h1>
            <p class="status">{status_name(p.status, t)}</p>
            {p.young_student.clone().map(|young| {
                let text = if young.confirmed {
                    t.person_young_confirmed
                } else if young.declined {
                    t.person_young_declined
                } else {
                    t.person_young_waiting
                };
                view! { class=class, <p class="status">{fill(text, &[("email", &young.parent_email_masked)])}</p> }
            })}
            <dl>
                <dt>{t.person_roles}</dt>
                <dd>{super::people::memberships_text(&p.memberships, t)}</dd>
                {(!p.children.is_empty()).then(|| view! { class=class, <dt>{t.person_children}</dt><dd>{relatives(&p.children)}</dd> })}
                {(!p.parents.is_empty()).then(|| view! { class=class, <dt>{t.person_parents}</dt><dd>{relatives(&p.parents)}</dd> })}
                {p.joined_at.clone().map(|at| view! { class=class, <dt>{t.person_joined}</dt><dd>{long_date(&at, lang)}</dd> })}
                {p.joined_by.clone().map(|by| view! { class=class, <dt>{t.person_joined_by}</dt><dd>{by}</dd> })}
            </dl>
            {(!pending).then(|| view! {
                <section aria-labelledby="person-roles-heading">
                    <h2 class="section-title" id="person-roles-heading">{t.person_change_title}</h2>
                    <ul class="card-list">{memberships}</ul>
                </section>
            })}
            <p class="alert" role="alert" hidden=move || failure.with(Option::is_none)>
                {move || failure.get().map(|e| e.message(i18n.t()))}
            </p>
            {(!pending).then(|| view! { class=class,
                <div class="actions">
                    {((is_admin && !only_admin) || (!is_admin && is_teacher)).then(|| view! {
                        <button type="button" class="button" disabled=move || working.pending() on:click=toggle_admin>
                            {if is_admin { t.person_admin_remove } else { t.person_admin_appoint }}
                        </button>
                    })}
                    {(!is_me).then(|| view! { class=class,
                        <button type="button" class="button danger" disabled=move || working.pending() on:click=remove>
                            {t.person_remove}
                        </button>
                    })}
                </div>
            })}
            <section aria-labelledby="person-history-heading">
                <h2 class="section-title" id="person-history-heading">{t.person_history}</h2>
                {if has_history {
                    view! { <ul class="card-list">{history}</ul> }.into_any()
                } else {
                    view! { class=class, <p class="meta">{t.person_history_empty}</p> }.into_any()
                }}
                <p class="journal">
                    <a href=format!("{}?subject_id={user_id}", routes::admin(school_id, AdminPage::Audit))>{t.person_audit_about}</a>
                    {(is_admin || is_teacher).then(|| view! {
                        <a href=format!("{}?actor_id={user_id}", routes::admin(school_id, AdminPage::Audit))>{t.person_audit_by}</a>
                    })}
                </p>
            </section>
        }
    }
}

/// One role of the person, with its class: change the role, or move them to another class.
#[component]
fn MembershipEditor(
    school_id: i64,
    membership: Membership,
    card: Load<PersonCard>,
    classes: Load<Vec<ClassSummary>>,
) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-3);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        select {
            font: inherit;
            min-height: 2.75rem;
            padding: 0 var(--space-2);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .done {
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let Some(id) = membership.id else { return ().into_any() };
    let role = RwSignal::new(membership.role);
    let class_id = RwSignal::new(membership.class_id);
    let failure = RwSignal::new(None::<AppError>);
    let saving = use_submit();
    let original = (membership.role, membership.class_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = MembershipChange {
            role: (role.get_untracked() != original.0).then(|| role.get_untracked()),
            class_id: class_id.get_untracked().filter(|c| Some(*c) != original.1),
        };
        if change == MembershipChange::default() {
            return;
        }
        saving.run(async move {
            match api::admin::change_membership(school_id, id, change).await {
                Ok(()) => {
                    failure.set(None);
                    card.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let role_id = format!("membership-{id}-role");
    let class_select_id = format!("membership-{id}-class");
    (move || {
        let t = i18n.t();
        let roles = [Role::Teacher, Role::Student, Role::Parent]
            .into_iter()
            .map(|r| view! { <option value=r.as_str() selected=role.get_untracked() == r>{role_name(r, t)}</option> })
            .collect_view();
        let class_options = classes
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !c.archived)
            .map(|c| {
                let selected = class_id.get_untracked() == Some(c.id);
                view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
            })
            .collect_view();
        let label = fill(t.person_membership_label, &[("role", role_name(original.0, t))]);
        view! { class=class,
            <li>
                <form novalidate on:submit=on_submit aria-label=label>
                    <div class="field">
                        <label for=role_id.clone()>{t.person_role}</label>
                        <select id=role_id.clone() on:change=move |ev| {
                            if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r) }
                        }>{roles}</select>
                    </div>
                    <div class="field">
                        <label for=class_select_id.clone()>{t.person_class}</label>
                        <select id=class_select_id.clone() on:change=move |ev| class_id.set(event_target_value(&ev).parse().ok())>
                            {class_options}
                        </select>
                    </div>
                    <button type="submit" class="button button--primary" disabled=move || saving.pending()>{t.save}</button>
                </form>
                <p class="alert" role="alert" hidden=move || failure.with(Option::is_none)>
                    {move || failure.get().map(|e| e.message(i18n.t()))}
                </p>
            </li>
        }
    })
    .into_any()
}

//! «Обзор»: the administrator's first-day checklist, with live progress; it goes away once every step
//! is done, and the page then leads straight to the other pages.

use contract::{ChatKind, InviteState, InviteTarget, Role};
use leptos::prelude::*;
use stylers_macro::style;

use super::refetch_on_school_change;
use crate::api;
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{fill, use_i18n};
use crate::routes::{self, AdminPage};
use crate::state::chats::use_chats;

/// One step of the checklist: done or not (`None` while its data is loading), and where to do it.
struct Step {
    label: &'static str,
    done: Option<bool>,
    href: String,
}

#[component]
pub fn Overview(school_id: i64) -> impl IntoView {
    let class = style! {
        .checklist {
            max-width: 44rem;
            padding: var(--space-4);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
        }
        .checklist h2 {
            margin: 0 0 var(--space-2);
            font-size: 1.125rem;
        }
        progress {
            width: 100%;
            height: 0.75rem;
            accent-color: var(--accent);
        }
        ol {
            margin: var(--space-3) 0 0;
            padding: 0;
            list-style: none;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            min-height: 2.75rem;
        }
        .mark {
            flex: none;
            width: 1.75rem;
            height: 1.75rem;
            border-radius: 50%;
            border: 2px solid var(--border-strong);
            display: inline-flex;
            align-items: center;
            justify-content: center;
            font-weight: 700;
        }
        li[data-done] .mark {
            border-color: var(--success, var(--accent));
            background: var(--success, var(--accent));
            color: var(--on-accent);
        }
        li[data-done] .label {
            color: var(--text-muted);
            text-decoration: line-through;
        }
        .ready {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_title.to_string());
    let chats = use_chats();
    let info = use_load(move || api::admin::school_info(school_id));
    let classes = use_load(move || api::admin::classes(school_id));
    let invites = use_load(move || api::invites(school_id));
    let stats = use_load(move || api::admin::stats(school_id));
    let unverified = use_load(move || api::admin::roster(school_id, "status=unverified".to_string()));
    refetch_on_school_change(school_id, move || {
        invites.refetch();
        stats.refetch();
        unverified.refetch();
    });

    let steps = move || {
        let t = i18n.t();
        vec![
            Step {
                label: t.checklist_info,
                done: info.with(|v| {
                    v.and_then(|r| r.as_ref().ok()).map(|i| i.address.is_some() || i.journal_url.is_some())
                }),
                href: routes::admin(school_id, AdminPage::Info),
            },
            Step {
                label: t.checklist_classes,
                done: classes
                    .with(|v| v.and_then(|r| r.as_ref().ok()).map(|list| list.iter().any(|c| !c.staff_room))),
                href: routes::admin(school_id, AdminPage::Classes),
            },
            Step {
                label: t.checklist_staff_room,
                done: classes
                    .with(|v| v.and_then(|r| r.as_ref().ok()).map(|list| list.iter().any(|c| c.staff_room))),
                href: routes::admin(school_id, AdminPage::Classes),
            },
            Step {
                label: t.checklist_staff_links,
                done: invites.with(|v| {
                    v.and_then(|r| r.as_ref().ok()).map(|list| {
                        list.iter().any(|i| {
                            i.target == InviteTarget::School
                                && i.role == Role::Teacher
                                && (i.state == InviteState::Active || i.uses > 0)
                        })
                    })
                }),
                href: routes::new_invite(school_id),
            },
            Step {
                label: t.checklist_second_admin,
                done: stats.with(|v| {
                    v.and_then(|r| r.as_ref().ok()).map(|s| {
                        s.members_by_role.iter().any(|count| count.role == Role::Admin && count.count >= 2)
                    })
                }),
                href: format!("{}?role=teacher", routes::admin(school_id, AdminPage::People)),
            },
            Step {
                label: t.checklist_channels,
                done: chats.get().and_then(Result::ok).map(|list| {
                    let channels: Vec<_> = list
                        .iter()
                        .filter(|c| c.school_id == school_id && c.kind == ChatKind::Channel)
                        .collect();
                    !channels.is_empty()
                        && channels
                            .iter()
                            .all(|c| c.last_message.as_ref().is_some_and(|m| m.author_name.is_some()))
                }),
                href: chats
                    .get()
                    .and_then(Result::ok)
                    .and_then(|list| {
                        list.iter()
                            .find(|c| c.school_id == school_id && c.kind == ChatKind::Channel)
                            .map(|c| routes::chat(c.id))
                    })
                    .unwrap_or_else(|| routes::HOME.to_string()),
            },
            Step {
                label: t.checklist_verification,
                done: match (
                    unverified.with(|v| v.and_then(|r| r.as_ref().ok()).map(Vec::is_empty)),
                    stats.with(|v| {
                        v.and_then(|r| r.as_ref().ok())
                            .map(|s| s.members_by_role.iter().any(|c| c.role == Role::Teacher && c.count > 0))
                    }),
                ) {
                    (Some(none_waiting), Some(has_teachers)) => Some(none_waiting && has_teachers),
                    _ => None,
                },
                href: routes::requests(school_id),
            },
        ]
    };

    let checklist = move || {
        let t = i18n.t();
        let steps = steps();
        let loading = steps.iter().any(|s| s.done.is_none());
        let done = steps.iter().filter(|s| s.done == Some(true)).count();
        let total = steps.len();
        if !loading && done == total {
            return view! { class=class, <p class="ready">{t.checklist_all_done}</p> }.into_any();
        }
        let progress = fill(t.checklist_progress, &[("n", &done.to_string()), ("total", &total.to_string())]);
        let rows = steps
            .into_iter()
            .enumerate()
            .map(|(index, step)| {
                let done = step.done == Some(true);
                let state = if done { t.checklist_step_done } else { t.checklist_step_todo };
                view! { class=class,
                    <li data-done=done.then_some("")>
                        <span class="mark" aria-hidden="true">{if done { "✓".to_string() } else { (index + 1).to_string() }}</span>
                        {if done {
                            view! { class=class, <span class="label">{step.label}</span> }.into_any()
                        } else {
                            view! { class=class, <a class="label" href=step.href>{step.label}</a> }.into_any()
                        }}
                        <span class="visually-hidden">{format!(" — {state}")}</span>
                    </li>
                }
            })
            .collect_view();
        view! { class=class,
            <section class="checklist" aria-labelledby="checklist-heading">
                <h2 id="checklist-heading">{t.checklist_title}</h2>
                <p id="checklist-progress">{progress.clone()}</p>
                <progress max=total value=done aria-labelledby="checklist-progress"></progress>
                <ol>{rows}</ol>
            </section>
        }
        .into_any()
    };

    view! { class=class,
        <section class="screen" aria-labelledby="admin-heading">
            <h1 id="admin-heading">{move || i18n.t().admin_title}</h1>
            {checklist}
        </section>
    }
}

//! «Журнал действий»: every administrative action — who, what, when, on whom — newest first,
//! filterable by kind of action, by who acted and by whom it was about (`?actor_id=`, `?subject_id=`,
//! which a person's card links to).

use contract::{AuditAction, AuditEntry, RosterEntry};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::format::full_date_time;
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{Lang, Strings, fill, use_i18n};
use crate::pages::chats::role_name;
use crate::routes::{self, AdminPage};

fn action_name(action: AuditAction, t: &Strings) -> &'static str {
    match action {
        AuditAction::SchoolInfoUpdated => t.audit_school_info_updated,
        AuditAction::SchoolLogoChanged => t.audit_school_logo_changed,
        AuditAction::SchoolLogoRemoved => t.audit_school_logo_removed,
        AuditAction::ClassCreated => t.audit_class_created,
        AuditAction::ClassRenamed => t.audit_class_renamed,
        AuditAction::ClassArchived => t.audit_class_archived,
        AuditAction::ClassRestored => t.audit_class_restored,
        AuditAction::ClassDeleted => t.audit_class_deleted,
        AuditAction::ClassSizeSet => t.audit_class_size_set,
        AuditAction::TeacherAssigned => t.audit_teacher_assigned,
        AuditAction::TeacherUnassigned => t.audit_teacher_unassigned,
        AuditAction::HomeroomSet => t.audit_homeroom_set,
        AuditAction::HomeroomCleared => t.audit_homeroom_cleared,
        AuditAction::RoleChanged => t.audit_role_changed,
        AuditAction::StudentMoved => t.audit_student_moved,
        AuditAction::MemberRemoved => t.audit_member_removed,
        AuditAction::AdminAppointed => t.audit_admin_appointed,
        AuditAction::AdminRemoved => t.audit_admin_removed,
        AuditAction::InviteCreated => t.audit_invite_created,
        AuditAction::InviteRevoked => t.audit_invite_revoked,
        AuditAction::InvitesRevokedUnused => t.audit_invites_revoked_unused,
        AuditAction::RequestApproved => t.audit_request_approved,
        AuditAction::RequestRejected => t.audit_request_rejected,
        AuditAction::TeacherVerified => t.audit_teacher_verified,
        AuditAction::TeacherDeclined => t.audit_teacher_declined,
        AuditAction::YearTransferred => t.audit_year_transferred,
        AuditAction::ChatJoined => t.audit_chat_joined,
        AuditAction::Unknown => t.audit_unknown,
    }
}

/// A role's name when the value is one («student» → «Ученик»), else the value as it is (a class name).
fn value_text(value: &str, t: &Strings) -> String {
    contract::Role::parse(value).map_or_else(|| value.to_string(), |role| role_name(role, t).to_string())
}

/// The sentence of an entry, without who did it and when: «Перевёл(а) ученика Иванов Иван: 5А → 5Б».
pub fn audit_text(entry: &AuditEntry, t: &Strings) -> String {
    let mut text = action_name(entry.action, t).to_string();
    if let Some(subject) = &entry.subject {
        text.push_str(": ");
        text.push_str(&subject.name);
    }
    if let Some(class) = &entry.class_name
        && !matches!(entry.action, AuditAction::StudentMoved)
    {
        text.push_str(&fill(t.audit_in_class, &[("class", class)]));
    }
    match (&entry.from, &entry.to) {
        (Some(from), Some(to)) => {
            text.push_str(&format!(" ({} → {})", value_text(from, t), value_text(to, t)))
        }
        (None, Some(to)) => text.push_str(&format!(" ({})", value_text(to, t))),
        (Some(from), None) => text.push_str(&format!(" ({})", value_text(from, t))),
        (None, None) => {}
    }
    text
}

/// «12 марта, 14:05 — Петрова Анна».
pub fn audit_meta(entry: &AuditEntry, t: &Strings, lang: Lang) -> String {
    let when = full_date_time(&entry.at, lang);
    match &entry.actor {
        Some(actor) => format!("{when} — {}", actor.name),
        None => format!("{when} — {}", t.audit_actor_gone),
    }
}

#[component]
pub fn AuditPage(school_id: i64) -> impl IntoView {
    let class = style! {
        .filters {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-3);
        }
        .filter {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            flex: 1 1 16rem;
            min-width: 0;
            max-width: 24rem;
        }
        .about {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin: var(--space-3) 0 0;
        }
        label {
            font-weight: 600;
        }
        select {
            font: inherit;
            width: 100%;
            min-height: 2.75rem;
            padding: 0 var(--space-2);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        .what {
            margin: 0;
        }
        .meta {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_audit.to_string());
    let params = crate::hooks::use_query();
    let action = RwSignal::new(String::new());
    // Who acted: the «Кто» filter, which a person's card can also set through the address.
    let actor_in_address = Memo::new(move |_| params.with(|p| p.get("actor_id").unwrap_or_default()));
    let actor = RwSignal::new(String::new());
    // Whom the entries are about comes from the address (a person's card links here), and follows it.
    let subject = Memo::new(move |_| params.with(|p| p.get("subject_id").unwrap_or_default()));
    // Who can act: administrators and teachers (invites, requests). Asked once, for the «Кто» filter.
    let admins = use_load(move || api::admin::roster(school_id, "role=admin".to_string()));
    let teachers = use_load(move || api::admin::roster(school_id, "role=teacher".to_string()));
    // The name of the person a `subject_id` link is about, for the filter's label.
    let subject_name = use_load(move || {
        let id = subject.get_untracked().parse::<i64>().ok();
        let card = id.map(|id| api::admin::person(school_id, id));
        async move {
            match card {
                Some(card) => card.await.map(|c| Some(c.name)),
                None => Ok(None),
            }
        }
    });
    let entries = RwSignal::new(None::<Vec<AuditEntry>>);
    let next = RwSignal::new(None::<i64>);
    let failure = RwSignal::new(None::<AppError>);
    // The filters may change while a page is on its way: only the newest request's answer is shown.
    let asked = StoredValue::new(0u32);
    let loading = RwSignal::new(false);
    // Pages are appended, so this keeps its own list rather than one `use_load` answer. Requests belong
    // to the page, not to the button or select that asked: those are redrawn (and would abort them).
    let owner = StoredValue::new(Owner::current());
    let load = move |before: Option<i64>| {
        let mut parts = Vec::new();
        for (key, value) in [
            ("action", action.get_untracked()),
            ("actor_id", actor.get_untracked()),
            ("subject_id", subject.get_untracked()),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", String::from(js_sys::encode_uri_component(&value))));
            }
        }
        if let Some(before) = before {
            parts.push(format!("before={before}"));
        }
        let query = parts.join("&");
        let request = owner.with_value(|owner| {
            let ask = || api::admin::audit(school_id, query);
            match owner {
                Some(owner) => owner.with(ask),
                None => ask(),
            }
        });
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        loading.set(true);
        spawn_local(async move {
            let answer = request.await;
            if asked.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match answer {
                Ok(page) => {
                    failure.set(None);
                    next.set(page.next_before);
                    entries.update(|list| match (list, before) {
                        (Some(list), Some(_)) => list.extend(page.entries),
                        (list, _) => *list = Some(page.entries),
                    });
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    Effect::new(move |first: Option<()>| {
        let changed_subject = first.is_some();
        subject.track();
        actor.set(actor_in_address.get());
        entries.set(None);
        if changed_subject {
            subject_name.refetch();
        }
        load(None);
    });
    let on_filter = move |ev: leptos::ev::Event| {
        action.set(event_target_value(&ev));
        entries.set(None);
        load(None);
    };
    let on_actor = move |ev: leptos::ev::Event| {
        actor.set(event_target_value(&ev));
        entries.set(None);
        load(None);
    };
    let actor_options = move || {
        let mut people: Vec<RosterEntry> = [admins, teachers]
            .into_iter()
            .flat_map(|load| load.get().and_then(Result::ok).unwrap_or_default())
            .collect();
        people.sort_by(|a, b| a.name.cmp(&b.name));
        people.dedup_by_key(|p| p.id);
        let current = actor.get_untracked();
        people
            .into_iter()
            .map(|p| {
                let value = p.id.to_string();
                let selected = value == current;
                view! { <option value=value selected=selected>{p.name}</option> }
            })
            .collect_view()
    };
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let options = AuditAction::ALL
            .into_iter()
            .map(|a| view! { <option value=a.as_str() selected=action.get_untracked() == a.as_str()>{action_name(a, t)}</option> })
            .collect_view();
        // Only the entries follow the answers: the filters above stay put (and keep the keyboard's focus).
        let body = move || match (entries.get(), failure.get()) {
            (_, Some(error)) => view! { <ErrorNotice error=error on_retry=move || load(None) /> }.into_any(),
            (None, None) => view! { <Loading /> }.into_any(),
            (Some(list), None) if list.is_empty() => {
                view! { <EmptyState symbol="📜" title=t.audit_empty_title text=t.audit_empty_text /> }
                    .into_any()
            }
            (Some(list), None) => {
                let rows = list
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
                view! { class=class,
                    <ul class="card-list">{rows}</ul>
                    {move || next.get().map(|before| view! {
                        <button type="button" class="button" disabled=move || loading.get() on:click=move |_| load(Some(before))>
                            {i18n.t().audit_more}
                        </button>
                    })}
                }
                .into_any()
            }
        };
        view! { class=class,
            <section class="screen" aria-labelledby="audit-heading">
                <h1 id="audit-heading">{t.admin_audit}</h1>
                <div class="filters" role="search" aria-label=t.audit_filters>
                    <div class="filter">
                        <label for="audit-action">{t.audit_filter}</label>
                        <select id="audit-action" on:change=on_filter>
                            <option value="" selected=action.get_untracked().is_empty()>{t.audit_all}</option>
                            {options}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="audit-actor">{t.audit_actor_filter}</label>
                        <select id="audit-actor" on:change=on_actor prop:value=move || actor.get()>
                            <option value="" selected=actor.get_untracked().is_empty()>{t.audit_anyone}</option>
                            {actor_options}
                        </select>
                    </div>
                </div>
                {move || (!subject.get().is_empty()).then(|| {
                    let t = i18n.t();
                    let name = subject_name.get().and_then(Result::ok).flatten().unwrap_or_default();
                    view! { class=class,
                        <p class="about">
                            <span>{fill(t.audit_about_person, &[("name", &name)])}</span>
                            <a href=routes::admin(school_id, AdminPage::Audit)>{t.audit_about_clear}</a>
                        </p>
                    }
                })}
                {body}
            </section>
        }
    }
}

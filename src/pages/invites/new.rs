//! «Создать ссылку»: where to, which role, and the options (label, expiry, uses, approval).

use contract::{
    FieldProblem, INVITE_LABEL_MAX_CHARS, INVITE_MAX_USES, InviteCreate, InviteExpiry, InviteTarget,
    InviteTargetOption, Role, ServerEvent,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading, TextField};
use crate::error::{AppError, field_message};
use crate::format::today_iso;
use crate::hooks::{use_load, use_page_title, use_submit};
use crate::i18n::{Strings, use_i18n};
use crate::pages::chats::role_name;
use crate::routes;
use crate::state::connection::use_connection;
use crate::state::invite_keys::{CreatedLink, remember_link};
use crate::state::session::use_session;

use super::no_class::NoClassYet;

#[component]
pub fn NewInviteScreen(school_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().invite_new_title.to_string());
    let targets = use_load(move || api::invite_targets(school_id));
    let session = use_session();
    // A teacher of no class has nowhere to invite to yet: they hear who gives them a class. A memo: the
    // session is reloaded on every live change of roles, and the screen is drawn again only if this does.
    let teacher_only = Memo::new(move |_| {
        session.me().is_some_and(|me| {
            me.schools.iter().any(|s| {
                s.school.id == school_id
                    && s.roles.contains(&Role::Teacher)
                    && !s.roles.contains(&Role::Admin)
            })
        })
    });
    // Given a class (or losing one) while here: the places change. A class given on request comes
    // with both events, and an effect sees only the last of two that arrive close together.
    let connection = use_connection();
    Effect::new(move |seen: Option<()>| {
        let changed = match connection.event() {
            Some(ServerEvent::MembershipsChanged) => true,
            Some(ServerEvent::DecisionsChanged { school_id: changed }) => changed == school_id,
            _ => false,
        };
        if changed && seen.is_some() {
            targets.refetch();
        }
    });
    move || match targets.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(list)) if list.is_empty() && teacher_only.get() => view! {
            <section class="screen">
                <h1>{move || i18n.t().invite_new_title}</h1>
                <NoClassYet school_id=school_id />
            </section>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => {
            let t = i18n.t();
            view! { <EmptyState symbol="🔗" title=t.invite_no_targets_title text=t.invite_no_targets_text /> }
                .into_any()
        }
        Some(Ok(list)) => view! { <InviteForm school_id=school_id targets=list /> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorNotice error=error on_retry=move || targets.refetch() /> }.into_any()
        }
    }
}

/// The kinds of place the «Куда» list groups its options by, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TargetGroup {
    /// «Учительская»: the school's staff.
    School,
    Classes,
    /// Subject chats and groups (a class's own chats are the class).
    Chats,
}

impl TargetGroup {
    fn of(target: InviteTarget) -> TargetGroup {
        match target {
            InviteTarget::School => TargetGroup::School,
            InviteTarget::Class { .. } => TargetGroup::Classes,
            InviteTarget::Chat { .. } => TargetGroup::Chats,
        }
    }

    fn label(self, t: &'static Strings) -> &'static str {
        match self {
            TargetGroup::School => t.invite_target_school,
            TargetGroup::Classes => t.invite_target_classes,
            TargetGroup::Chats => t.invite_target_chats,
        }
    }
}

/// The options' indexes by group, each group once and only if it has options, each option once.
fn target_groups(targets: &[InviteTargetOption]) -> Vec<(TargetGroup, Vec<usize>)> {
    [TargetGroup::School, TargetGroup::Classes, TargetGroup::Chats]
        .into_iter()
        .map(|group| {
            let indexes = (0..targets.len())
                .filter(|&i| TargetGroup::of(targets[i].target) == group)
                .collect::<Vec<_>>();
            (group, indexes)
        })
        .filter(|(_, indexes)| !indexes.is_empty())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expiry {
    EndOfTerm,
    Never,
    On,
}

/// Which field a problem belongs to, as named in the request.
const FIELDS: [&str; 4] = ["role", "label", "max_uses", "expiry"];

fn problem_text(field: &str, problem: FieldProblem, t: &'static Strings) -> &'static str {
    match (field, problem) {
        ("label", FieldProblem::TooLong) => t.invite_label_too_long,
        ("max_uses", _) => t.invite_max_uses_range,
        ("expiry", FieldProblem::Required | FieldProblem::InvalidDate) => t.field_invalid_date,
        ("expiry", _) => t.invite_expiry_past,
        _ => field_message(problem, t),
    }
}

#[component]
fn InviteForm(school_id: i64, targets: Vec<InviteTargetOption>) -> impl IntoView {
    let class = style! {
        .form-card {
            max-width: 36rem;
            min-width: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
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
        select,
        .date {
            font: inherit;
            font-size: 1.0625rem;
            padding: var(--space-3);
            min-height: 3rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
        }
        fieldset {
            border: 0;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
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
        .date[aria-invalid="true"] {
            border-color: var(--danger);
            border-width: 2px;
        }
        .message {
            color: var(--danger);
            font-size: 0.9375rem;
            font-weight: 600;
        }
        .hint {
            color: var(--text-muted);
            font-size: 0.875rem;
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let targets = StoredValue::new(targets);
    let target = RwSignal::new(0usize);
    let role = RwSignal::new(targets.with_value(|list| list[0].roles.first().copied()));
    let label = RwSignal::new(String::new());
    let expiry = RwSignal::new(Expiry::EndOfTerm);
    let date = RwSignal::new(String::new());
    let max_uses = RwSignal::new(String::new());
    let approval = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<(&'static str, FieldProblem)>::new());
    let failure = RwSignal::new(None::<AppError>);

    let roles = move || {
        targets.with_value(|list| list.get(target.get()).map(|o| o.roles.clone()).unwrap_or_default())
    };
    let choose_target = move |index: usize| {
        target.set(index);
        // Keep the role when the new place allows it; otherwise its first one.
        let allowed = roles();
        if !role.get_untracked().is_some_and(|r| allowed.contains(&r)) {
            role.set(allowed.first().copied());
        }
    };
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            problems.with(|list| {
                list.iter().find(|(f, _)| *f == field).map(|(f, p)| problem_text(f, *p, i18n.t()).to_string())
            })
        })
    };

    let save = use_submit();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let mut found = Vec::new();
        let label_text = label.get_untracked().trim().to_string();
        if label_text.chars().count() > INVITE_LABEL_MAX_CHARS {
            found.push(("label", FieldProblem::TooLong));
        }
        let uses_text = max_uses.get_untracked().trim().to_string();
        let uses = if uses_text.is_empty() {
            None
        } else {
            match uses_text.parse::<u32>() {
                Ok(n) if (1..=INVITE_MAX_USES).contains(&n) => Some(n),
                _ => {
                    found.push(("max_uses", FieldProblem::OutOfRange));
                    None
                }
            }
        };
        let chosen_expiry = match expiry.get_untracked() {
            Expiry::EndOfTerm => InviteExpiry::EndOfTerm,
            Expiry::Never => InviteExpiry::Never,
            Expiry::On => {
                let day = date.get_untracked();
                if day.len() != 10 {
                    found.push(("expiry", FieldProblem::InvalidDate));
                } else if day < today_iso() {
                    found.push(("expiry", FieldProblem::OutOfRange));
                }
                InviteExpiry::On { date: day }
            }
        };
        let Some(chosen_role) = role.get_untracked() else {
            found.push(("role", FieldProblem::Required));
            problems.set(found);
            return;
        };
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        let body = InviteCreate {
            target: targets.with_value(|list| list[target.get_untracked()].target),
            role: chosen_role,
            label: (!label_text.is_empty()).then_some(label_text),
            expiry: chosen_expiry,
            max_uses: uses,
            requires_approval: approval.get_untracked(),
        };
        save.run(async move {
            match api::create_invite(school_id, body).await {
                Ok(created) => {
                    if let Some(me) = session.me() {
                        remember_link(
                            me.user.id,
                            created.invite.id,
                            CreatedLink { token: created.token, code: created.code },
                        );
                    }
                    navigate.with_value(|navigate| {
                        navigate(&routes::invite(created.invite.id), Default::default())
                    });
                }
                Err(error) => {
                    let found: Vec<_> =
                        FIELDS.into_iter().filter_map(|f| error.problem_of(f).map(|p| (f, p))).collect();
                    if found.is_empty() {
                        failure.set(Some(error));
                    } else {
                        problems.set(found);
                    }
                }
            }
        });
    };

    let groups = targets.with_value(|list| target_groups(list));
    let target_groups = move |t: &'static Strings| {
        groups
            .iter()
            .map(|(group, indexes)| {
                let options = targets.with_value(|list| {
                    indexes
                        .iter()
                        .map(|&i| view! { <option value=i.to_string() selected=move || target.get() == i>{list[i].name.clone()}</option> })
                        .collect_view()
                });
                view! { <optgroup label=group.label(t)>{options}</optgroup> }
            })
            .collect_view()
    };
    let role_options = move || {
        let t = i18n.t();
        roles()
            .into_iter()
            .map(|r| view! { <option value=r.as_str() selected=move || role.get() == Some(r)>{role_name(r, t)}</option> })
            .collect_view()
    };

    view! { class=class,
        <section class="screen" aria-labelledby="new-invite-heading">
            {move || {
                let t = i18n.t();
                view! { class=class,
                    <form class="form-card" on:submit=on_submit novalidate>
                        <h1 id="new-invite-heading">{t.invite_new_title}</h1>
                        <p class="hint">{t.invite_new_lead}</p>
                        <div class="field">
                            <label for="invite-target">{t.invite_target}</label>
                            <select
                                id="invite-target"
                                on:change=move |ev| choose_target(event_target_value(&ev).parse().unwrap_or(0))
                            >
                                {target_groups(t)}
                            </select>
                        </div>
                        <div class="field">
                            <label for="invite-role">{t.invite_role}</label>
                            <select
                                id="invite-role"
                                aria-describedby="invite-role-error"
                                on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)))
                            >
                                {role_options}
                            </select>
                            <span class="message" id="invite-role-error" aria-live="polite">{move || error_of("role").get()}</span>
                        </div>
                        <TextField
                            id="invite-label"
                            label=t.invite_label
                            hint=t.invite_label_hint
                            value=label
                            error=error_of("label")
                            autocomplete="off"
                        />
                        <fieldset aria-describedby="invite-expiry-error">
                            <legend>{t.invite_expiry}</legend>
                            {[
                                (Expiry::EndOfTerm, t.invite_expiry_term),
                                (Expiry::Never, t.invite_expiry_never),
                                (Expiry::On, t.invite_expiry_on),
                            ]
                                .map(|(choice, text)| view! { class=class,
                                    <label class="choice">
                                        <input type="radio" name="expiry" prop:checked=move || expiry.get() == choice on:change=move |_| expiry.set(choice) />
                                        {text}
                                    </label>
                                })}
                            <input
                                class="date"
                                type="date"
                                aria-label=t.invite_expiry_date
                                min=today_iso()
                                disabled=move || expiry.get() != Expiry::On
                                aria-invalid=move || error_of("expiry").with(Option::is_some).then_some("true")
                                prop:value=move || date.get()
                                on:input=move |ev| date.set(event_target_value(&ev))
                            />
                            <span class="message" id="invite-expiry-error" aria-live="polite">{move || error_of("expiry").get()}</span>
                        </fieldset>
                        <TextField
                            id="invite-max-uses"
                            label=t.invite_max_uses
                            hint=t.invite_max_uses_hint
                            value=max_uses
                            error=error_of("max_uses")
                            inputmode="numeric"
                            autocomplete="off"
                            maxlength=4
                        />
                        <label class="choice">
                            <input type="checkbox" prop:checked=move || approval.get() on:change=move |ev| approval.set(event_target_checked(&ev)) />
                            {t.invite_requires_approval}
                        </label>
                        {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
                        <div class="row">
                            <button type="submit" class="button button--primary" disabled=move || save.pending()>{t.invite_create}</button>
                            <a class="button" href=routes::invites(school_id)>{t.cancel}</a>
                        </div>
                    </form>
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(target: InviteTarget, name: &str) -> InviteTargetOption {
        InviteTargetOption { target, name: name.to_string(), roles: vec![Role::Student] }
    }

    #[test]
    fn targets_are_grouped_by_kind_in_a_fixed_order() {
        let targets = [
            option(InviteTarget::School, "Учительская"),
            option(InviteTarget::Class { class_id: 1 }, "5А"),
            option(InviteTarget::Chat { chat_id: 7 }, "Математика 5А"),
            option(InviteTarget::Class { class_id: 2 }, "5Б"),
        ];
        assert_eq!(
            target_groups(&targets),
            [
                (TargetGroup::School, vec![0]),
                (TargetGroup::Classes, vec![1, 3]),
                (TargetGroup::Chats, vec![2]),
            ]
        );
        let classes_only = [option(InviteTarget::Class { class_id: 1 }, "5А")];
        assert_eq!(target_groups(&classes_only), [(TargetGroup::Classes, vec![0])], "no empty groups");
    }
}

//! «Классы»: the school's structure. Create one class or a whole nomenclature at once (grades × letters),
//! rename, set the size and the class teacher, assign teachers, archive, delete an empty class.
//! «Учительская» is always there.

use contract::{
    BulkClasses, CLASS_SIZE_MAX, ClassChanges, ClassSummary, FieldProblem, GRADES, NewClass, Role,
    RosterEntry,
};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{ErrorNotice, Loading, TextField};
use crate::error::{AppError, field_message};
use crate::format::plural;
use crate::hooks::{Load, use_load, use_page_title, use_submit};
use crate::i18n::{Strings, fill, use_i18n};
use crate::pages::invites::ParentLinkButton;
use crate::routes::{self, AdminPage};

use super::{refetch_on_school_change, role_plural};

#[component]
pub fn ClassesPage(school_id: i64) -> impl IntoView {
    let class = style! {
        .tools {
            display: grid;
            grid-template-columns: 1fr;
            gap: var(--space-4);
            align-items: start;
        }
        @media (min-width: 72rem) {
            .tools {
                grid-template-columns: 1fr 1fr;
            }
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_classes.to_string());
    let classes = use_load(move || api::admin::classes(school_id));
    let teachers = use_load(move || api::admin::roster(school_id, "role=teacher".to_string()));
    // The cards' counts follow people joining and leaving; a card, and an editor open in it, stay.
    refetch_on_school_change(school_id, move || classes.refetch());
    // Drawn again only when the list appears or fails, not each time it is loaded again.
    let phase = Memo::new(move |_| classes.with(|v| v.map(Result::is_ok)));
    view! { class=class,
        <section class="screen" aria-labelledby="classes-heading">
            <h1 id="classes-heading">{move || i18n.t().admin_classes}</h1>
            <div class="tools">
                <NewClassForm school_id=school_id classes=classes />
                <BulkForm school_id=school_id classes=classes />
            </div>
            {move || match phase.get() {
                None => view! { <Loading /> }.into_any(),
                Some(true) => view! { <ClassList school_id=school_id classes=classes teachers=teachers /> }.into_any(),
                Some(false) => {
                    let error = classes.get_untracked().and_then(Result::err);
                    error.map(|error| view! { <ErrorNotice error=error on_retry=move || classes.refetch() /> }).into_any()
                }
            }}
        </section>
    }
}

fn class_problem(field: &str, problem: FieldProblem, t: &'static Strings) -> &'static str {
    match (field, problem) {
        ("name", FieldProblem::NotAllowed) => t.class_name_taken,
        ("size", _) => t.class_size_range,
        _ => field_message(problem, t),
    }
}

/// The size typed in a field: `Ok(None)` when empty, `Err` when it is not a number of students.
fn parse_size(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>().ok().filter(|n| (1..=CLASS_SIZE_MAX).contains(n)).map(Some).ok_or(())
}

#[component]
fn NewClassForm(school_id: i64, classes: Load<Vec<ClassSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let size = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let size_wrong = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let saving = use_submit();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let Ok(size_value) = parse_size(&size.get_untracked()) else {
            size_wrong.set(true);
            return;
        };
        size_wrong.set(false);
        let body = NewClass { name: name.get_untracked().trim().to_string(), size: size_value };
        saving.run(async move {
            match api::admin::create_class(school_id, body).await {
                Ok(created) => {
                    failure.set(None);
                    name.set(String::new());
                    size.set(String::new());
                    done.set(Some(fill(i18n.t().class_created, &[("name", &created.name)])));
                    classes.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let name_error = Signal::derive(move || {
        failure.with(|f| {
            f.as_ref()
                .and_then(|e| e.problem_of("name"))
                .map(|p| class_problem("name", p, i18n.t()).to_string())
        })
    });
    let size_error = Signal::derive(move || {
        (size_wrong.get() || failure.with(|f| f.as_ref().is_some_and(|e| e.problem_of("size").is_some())))
            .then(|| i18n.t().class_size_range.to_string())
    });
    let general = move || {
        failure.with(|f| {
            f.as_ref()
                .filter(|e| e.problem_of("name").is_none() && e.problem_of("size").is_none())
                .map(|e| e.message(i18n.t()))
        })
    };
    move || {
        let t = i18n.t();
        view! {
            <form class="form panel" novalidate on:submit=on_submit aria-labelledby="new-class-heading">
                <h2 class="section-title" id="new-class-heading">{t.class_new}</h2>
                <TextField id="class-name" label=t.class_name hint=t.class_name_hint value=name error=name_error maxlength=50 />
                <TextField id="class-size" label=t.class_size hint=t.class_size_hint value=size error=size_error inputmode="numeric" maxlength=2 />
                <p class="alert" role="alert" hidden=move || general().is_none()>{general}</p>
                <div class="row">
                    <button type="submit" class="button button--primary" disabled=move || saving.pending()>{t.class_create}</button>
                    <span role="status">{move || done.get()}</span>
                </div>
            </form>
        }
    }
}

/// The letters typed for the nomenclature: «А, Б, В» or «АБВ», upper-cased, without repeats.
fn parse_letters(text: &str) -> Vec<String> {
    let parts: Vec<String> = if text.contains([',', ' ', ';']) {
        text.split([',', ' ', ';']).map(str::trim).filter(|s| !s.is_empty()).map(upper).collect()
    } else {
        text.trim().chars().map(|c| upper(&c.to_string())).collect()
    };
    let mut letters = Vec::new();
    for letter in parts {
        if !letters.contains(&letter) {
            letters.push(letter);
        }
    }
    letters
}

/// Upper case through the browser: Rust's case tables would cost the wasm more than this whole screen.
fn upper(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_upper_case())
}

#[component]
fn BulkForm(school_id: i64, classes: Load<Vec<ClassSummary>>) -> impl IntoView {
    let class = style! {
        fieldset {
            border: none;
            margin: 0;
            padding: 0;
        }
        legend {
            font-weight: 600;
            margin-bottom: var(--space-2);
        }
        .grades {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1) var(--space-3);
        }
        .grades label {
            display: inline-flex;
            align-items: center;
            gap: var(--space-1);
            min-height: 2.75rem;
            min-width: 3rem;
        }
        .grades input {
            width: 1.25rem;
            height: 1.25rem;
        }
        .preview {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let grades = RwSignal::new(GRADES.collect::<Vec<u8>>());
    let letters = RwSignal::new("А, Б, В".to_string());
    let failure = RwSignal::new(None::<AppError>);
    let outcome = RwSignal::new(None::<String>);
    let saving = use_submit();
    let count = move || grades.with(Vec::len) * letters.with(|l| parse_letters(l).len());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let body =
            BulkClasses { grades: grades.get_untracked(), letters: parse_letters(&letters.get_untracked()) };
        saving.run(async move {
            match api::admin::create_classes(school_id, body).await {
                Ok(result) => {
                    failure.set(None);
                    let t = i18n.t();
                    let mut text = plural(result.created.len() as u32, t.classes_created, i18n.lang());
                    if !result.skipped.is_empty() {
                        text.push(' ');
                        text.push_str(&fill(t.classes_skipped, &[("names", &result.skipped.join(", "))]));
                    }
                    outcome.set(Some(text));
                    classes.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let letters_error = Signal::derive(move || {
        let t = i18n.t();
        if letters.with(|l| parse_letters(l).is_empty()) {
            return Some(t.bulk_letters_required.to_string());
        }
        failure.with(|f| {
            f.as_ref().and_then(|e| e.problem_of("letters")).map(|_| t.bulk_letters_invalid.to_string())
        })
    });
    let general = move || {
        failure
            .with(|f| f.as_ref().filter(|e| e.problem_of("letters").is_none()).map(|e| e.message(i18n.t())))
    };
    move || {
        let t = i18n.t();
        let boxes = GRADES
            .map(|grade| {
                let checked = move || grades.with(|g| g.contains(&grade));
                let toggle = move |_| {
                    grades.update(|g| {
                        if let Some(at) = g.iter().position(|x| *x == grade) {
                            g.remove(at);
                        } else {
                            g.push(grade);
                            g.sort_unstable();
                        }
                    })
                };
                view! { class=class,
                    <label><input type="checkbox" prop:checked=checked on:change=toggle />{grade}</label>
                }
            })
            .collect_view();
        view! { class=class,
            <form class="form panel" novalidate on:submit=on_submit aria-labelledby="bulk-heading">
                <h2 class="section-title" id="bulk-heading">{t.bulk_title}</h2>
                <fieldset>
                    <legend>{t.bulk_grades}</legend>
                    <div class="grades">{boxes}</div>
                </fieldset>
                <TextField id="bulk-letters" label=t.bulk_letters hint=t.bulk_letters_hint value=letters error=letters_error maxlength=60 />
                <p class="preview" aria-live="polite">
                    {move || {
                        let n = count();
                        plural(n as u32, i18n.t().bulk_preview, i18n.lang())
                    }}
                </p>
                <p class="alert" role="alert" hidden=move || general().is_none()>{general}</p>
                <div class="row">
                    <button type="submit" class="button button--primary" disabled=move || saving.pending() || count() == 0>
                        {t.bulk_create}
                    </button>
                    <span role="status">{move || outcome.get()}</span>
                </div>
            </form>
        }
    }
}

/// What a class's card is drawn from, but its counts: a card whose counts alone change (people
/// joined, live) is kept, with its editor and what is typed there; any other change (the editor's own
/// save) draws it afresh.
fn card_key(summary: &ClassSummary) -> String {
    let shape = ClassSummary { students: 0, parents: 0, ..summary.clone() };
    format!("{shape:?}")
}

#[component]
fn ClassList(
    school_id: i64,
    classes: Load<Vec<ClassSummary>>,
    teachers: Load<Vec<RosterEntry>>,
) -> impl IntoView {
    let class = style! {
        .archive {
            margin-top: var(--space-4);
        }
    };
    let i18n = use_i18n();
    let shown = move |archived: bool| {
        classes.with(|v| {
            v.and_then(|r| r.as_ref().ok())
                .map(|list| list.iter().filter(|c| c.archived == archived).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let cards = move |archived: bool| {
        view! {
            <For each=move || shown(archived) key=card_key let(summary)>
                <ClassCard school_id=school_id summary=summary classes=classes teachers=teachers />
            </For>
        }
    };
    let has_archive = Memo::new(move |_| !shown(true).is_empty());
    view! { class=class,
        <section aria-labelledby="class-list-heading">
            <h2 class="section-title" id="class-list-heading">{move || i18n.t().class_list}</h2>
            <ul class="card-list">{cards(false)}</ul>
        </section>
        {move || has_archive.get().then(|| view! { class=class,
            <section class="archive" aria-labelledby="class-archive-heading">
                <h2 class="section-title" id="class-archive-heading">{move || i18n.t().class_archive}</h2>
                <ul class="card-list">{cards(true)}</ul>
            </section>
        })}
    }
}

#[component]
fn ClassCard(
    school_id: i64,
    summary: ClassSummary,
    classes: Load<Vec<ClassSummary>>,
    teachers: Load<Vec<RosterEntry>>,
) -> impl IntoView {
    let class = style! {
        .head {
            display: flex;
            flex-wrap: wrap;
            align-items: baseline;
            justify-content: space-between;
            gap: var(--space-2);
        }
        h3 {
            margin: 0;
            font-size: 1.125rem;
            line-height: 1.25;
        }
        .facts {
            margin: 0;
            color: var(--text-muted);
        }
        .chats {
            display: flex;
            flex-wrap: wrap;
            gap: 0 var(--space-4);
        }
        .chats a {
            display: inline-flex;
            align-items: center;
            min-height: 2.75rem;
        }
    };
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let id = summary.id;
    // Only the counts change under a card (see `card_key`): read live from the list.
    let counts = Memo::new(move |_| {
        classes.with(|v| {
            v.and_then(|r| r.as_ref().ok())
                .and_then(|list| list.iter().find(|c| c.id == id))
                .map(|c| (c.students, c.parents))
        })
    });
    let summary = StoredValue::new(summary);
    let heading_id = format!("class-{id}");
    let facts = move || {
        let t = i18n.t();
        let mut s = summary.get_value();
        if let Some((students, parents)) = counts.get() {
            (s.students, s.parents) = (students, parents);
        }
        // «Учительская» has no students or parents: only its teachers are worth saying.
        let mut facts = if s.staff_room {
            Vec::new()
        } else {
            vec![
                fill(
                    t.class_students_of,
                    &[
                        ("n", &s.students.to_string()),
                        ("size", &s.size.map_or_else(|| "—".to_string(), |n| n.to_string())),
                    ],
                ),
                fill(t.class_parents_count, &[("n", &s.parents.to_string())]),
            ]
        };
        if let Some(homeroom) = &s.homeroom {
            facts.push(fill(t.class_homeroom_is, &[("name", &homeroom.name)]));
        }
        if !s.teachers.is_empty() {
            facts.push(fill(
                t.class_teachers_are,
                &[("names", &s.teachers.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "))],
            ));
        }
        facts.join(" · ")
    };
    move || {
        let t = i18n.t();
        let s = summary.get_value();
        let chats = s
            .chats
            .iter()
            .map(|chat| view! { <a href=routes::chat(chat.id)>{chat.title.clone()}</a> })
            .collect_view();
        let heading_id = heading_id.clone();
        let labelled_by = heading_id.clone();
        view! { class=class,
            <li aria-labelledby=labelled_by>
                <div class="head">
                    <h3 id=heading_id>{s.name.clone()}</h3>
                    {(!s.staff_room).then(|| view! {
                        <button
                            type="button"
                            class="button button--ghost"
                            aria-expanded=move || if editing.get() { "true" } else { "false" }
                            on:click=move |_| editing.update(|e| *e = !*e)
                        >
                            {t.class_edit}
                        </button>
                    })}
                </div>
                <p class="facts">{facts}</p>
                <div class="chats">{chats}</div>
                <ClassMembers school_id=school_id class_id=id class_name=s.name.clone() staff_room=s.staff_room />
                {move || editing.get().then(|| view! { <ClassEditor summary=summary.get_value() classes=classes teachers=teachers /> })}
            </li>
        }
    }
}

/// «Состав класса»: the class's people by role, each linking to their card, loaded when opened. A
/// student's row makes a link for their parent: the class list the administrator works from.
#[component]
fn ClassMembers(school_id: i64, class_id: i64, class_name: String, staff_room: bool) -> impl IntoView {
    let class = style! {
        .toggle {
            margin-top: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let panel_id = format!("class-members-{class_id}");
    let class_name = StoredValue::new(class_name);
    view! { class=class,
        <button
            type="button"
            class="button button--ghost toggle"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls=panel_id.clone()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {move || {
                let t = i18n.t();
                fill(if open.get() { t.class_members_hide } else { t.class_members_show }, &[("class", &class_name.get_value())])
            }}
        </button>
        <div id=panel_id>
            {move || open.get().then(|| view! { <ClassMemberList school_id=school_id class_id=class_id staff_room=staff_room /> })}
        </div>
    }
}

#[component]
fn ClassMemberList(school_id: i64, class_id: i64, staff_room: bool) -> impl IntoView {
    let class = style! {
        h4 {
            margin: var(--space-3) 0 var(--space-1);
            font-size: 1rem;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        li {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-2);
            min-height: 2.75rem;
            border-top: 1px solid var(--border);
        }
        .none {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let people = use_load(move || api::admin::roster(school_id, format!("class_id={class_id}")));
    refetch_on_school_change(school_id, move || people.refetch());
    move || match people.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorNotice error=error on_retry=move || people.refetch() /> }.into_any()
        }
        Some(Ok(list)) => {
            let t = i18n.t();
            let group = |role: Role| {
                let rows = list
                    .iter()
                    .filter(|person| {
                        person.memberships.iter().any(|m| m.class_id == Some(class_id) && m.role == role)
                    })
                    .map(|person| {
                        let href = routes::admin(school_id, AdminPage::Person(person.id));
                        let parent_link = (role == Role::Student).then(|| {
                            let name = fill(t.parent_link_for, &[("name", &person.name)]);
                            view! {
                                <ParentLinkButton
                                    school_id=school_id
                                    student_id=person.id
                                    label=t.parent_link_button
                                    accessible_name=name
                                    ghost=true
                                />
                            }
                        });
                        view! { class=class, <li><a href=href>{person.name.clone()}</a>{parent_link}</li> }
                    })
                    .collect::<Vec<_>>();
                let heading = format!("{} · {}", role_plural(role, t), rows.len());
                let body = if rows.is_empty() {
                    view! { class=class, <p class="none">{t.class_members_none}</p> }.into_any()
                } else {
                    view! { class=class, <ul>{rows}</ul> }.into_any()
                };
                view! { class=class, <h4>{heading}</h4> {body} }
            };
            // «Учительская» has only staff.
            let others = (!staff_room).then(|| view! { {group(Role::Student)} {group(Role::Parent)} });
            view! { {group(Role::Teacher)} {others} }.into_any()
        }
    }
}

#[component]
fn ClassEditor(
    summary: ClassSummary,
    classes: Load<Vec<ClassSummary>>,
    teachers: Load<Vec<RosterEntry>>,
) -> impl IntoView {
    let class = style! {
        .editor {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            padding-top: var(--space-3);
            border-top: 1px solid var(--border);
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
            max-width: 24rem;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .danger {
            color: var(--danger);
        }
    };
    let i18n = use_i18n();
    let id = summary.id;
    let name = RwSignal::new(summary.name.clone());
    let size = RwSignal::new(summary.size.map(|n| n.to_string()).unwrap_or_default());
    let failure = RwSignal::new(None::<AppError>);
    let size_wrong = RwSignal::new(false);
    let saving = use_submit();
    let archived = summary.archived;
    let original = StoredValue::new(summary.clone());
    let change = move |changes: ClassChanges| {
        saving.run(async move {
            match api::admin::change_class(id, changes).await {
                Ok(_) => {
                    failure.set(None);
                    classes.refetch();
                    teachers.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(new_size) = parse_size(&size.get_untracked()) else {
            size_wrong.set(true);
            return;
        };
        size_wrong.set(false);
        let before = original.get_value();
        let new_name = name.get_untracked().trim().to_string();
        let changes = ClassChanges {
            name: (new_name != before.name).then_some(new_name),
            size: (new_size != before.size).then_some(new_size),
            ..Default::default()
        };
        if changes != ClassChanges::default() {
            change(changes);
        }
    };
    let set_homeroom = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        change(ClassChanges { homeroom_id: Some(value.parse::<i64>().ok()), ..Default::default() });
    };
    let add_teacher = move |ev: leptos::ev::Event| {
        let Ok(user_id) = event_target_value(&ev).parse::<i64>() else { return };
        saving.run(async move {
            match api::admin::assign_teacher(id, user_id).await {
                Ok(_) => {
                    failure.set(None);
                    classes.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let remove_teacher = move |user_id: i64| {
        saving.run(async move {
            match api::admin::unassign_teacher(id, user_id).await {
                Ok(()) => {
                    failure.set(None);
                    classes.refetch();
                }
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let archive = move |_| {
        let t = i18n.t();
        let question = if archived { t.class_restore_confirm } else { t.class_archive_confirm };
        if window().confirm_with_message(question).unwrap_or(false) {
            change(ClassChanges { archived: Some(!archived), ..Default::default() });
        }
    };
    let delete = move |_| {
        if !window().confirm_with_message(i18n.t().class_delete_confirm).unwrap_or(false) {
            return;
        }
        saving.run(async move {
            match api::admin::delete_class(id).await {
                Ok(()) => classes.refetch(),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    let name_error = Signal::derive(move || {
        failure.with(|f| {
            f.as_ref()
                .and_then(|e| e.problem_of("name"))
                .map(|p| class_problem("name", p, i18n.t()).to_string())
        })
    });
    let size_error = Signal::derive(move || {
        (size_wrong.get() || failure.with(|f| f.as_ref().is_some_and(|e| e.problem_of("size").is_some())))
            .then(|| i18n.t().class_size_range.to_string())
    });
    let general = move || {
        failure.with(|f| {
            f.as_ref()
                .filter(|e| e.problem_of("name").is_none() && e.problem_of("size").is_none())
                .map(|e| e.message(i18n.t()))
        })
    };
    let name_id = format!("class-{id}-name");
    let size_id = format!("class-{id}-size");
    let homeroom_id = format!("class-{id}-homeroom");
    let add_id = format!("class-{id}-add-teacher");
    move || {
        let t = i18n.t();
        let s = original.get_value();
        let school_teachers: Vec<(i64, String)> = teachers
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.memberships.iter().any(|m| m.role == Role::Teacher && m.id.is_some()))
            .map(|p| (p.id, p.name))
            .collect();
        let homeroom_options = s
            .teachers
            .iter()
            .map(|p| {
                let selected = s.homeroom.as_ref().is_some_and(|h| h.id == p.id);
                view! { <option value=p.id.to_string() selected=selected>{p.name.clone()}</option> }
            })
            .collect_view();
        let others = school_teachers
            .into_iter()
            .filter(|(user, _)| !s.teachers.iter().any(|p| p.id == *user))
            .map(|(user, name)| view! { <option value=user.to_string()>{name}</option> })
            .collect_view();
        let assigned = s
            .teachers
            .iter()
            .map(|p| {
                let user = p.id;
                let label = fill(t.class_teacher_remove, &[("name", &p.name)]);
                view! { class=class,
                    <li>
                        <span>{p.name.clone()}</span>
                        <button type="button" class="button button--ghost" aria-label=label on:click=move |_| remove_teacher(user)>
                            {t.remove}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { class=class,
            <div class="editor">
                <form class="form" novalidate on:submit=on_save>
                    <TextField id=leak(&name_id) label=t.class_name value=name error=name_error maxlength=50 />
                    <TextField id=leak(&size_id) label=t.class_size hint=t.class_size_hint value=size error=size_error inputmode="numeric" maxlength=2 />
                    <div class="row">
                        <button type="submit" class="button button--primary" disabled=move || saving.pending()>{t.save}</button>
                    </div>
                </form>
                <div class="field">
                    <label for=homeroom_id.clone()>{t.class_homeroom}</label>
                    <select id=homeroom_id.clone() on:change=set_homeroom disabled=s.teachers.is_empty()>
                        <option value="" selected=s.homeroom.is_none()>{t.class_homeroom_none}</option>
                        {homeroom_options}
                    </select>
                </div>
                <div class="field">
                    <span>{t.class_teachers}</span>
                    <ul>{assigned}</ul>
                    <label for=add_id.clone()>{t.class_teacher_add}</label>
                    <select id=add_id.clone() on:change=add_teacher>
                        <option value="" selected=true>{t.class_teacher_choose}</option>
                        {others}
                    </select>
                </div>
                <p class="alert" role="alert" hidden=move || general().is_none()>{general}</p>
                <div class="row">
                    <button type="button" class="button" on:click=archive disabled=move || saving.pending()>
                        {if archived { t.class_restore } else { t.class_archive_action }}
                    </button>
                    <button type="button" class="button danger" on:click=delete disabled=move || saving.pending()>
                        {t.class_delete}
                    </button>
                </div>
            </div>
        }
    }
}

/// Ids of inputs built per class: `TextField` takes `&'static str`, and an editor opens rarely.
fn leak(id: &str) -> &'static str {
    Box::leak(id.to_string().into_boxed_str())
}

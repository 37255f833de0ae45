//! «Статистика» for the head of school: people by role, how far each class has joined against its
//! size (the view teachers chase), active people per day and week, messages per day; drawn as bars
//! (with the numbers as a table for screen readers) and exportable as CSV.

use contract::{DayCount, Role, SchoolStats};
use leptos::prelude::*;
use stylers_macro::style;

use super::{refetch_on_school_change, role_plural};
use crate::api;
use crate::components::{ErrorNotice, Loading};
use crate::hooks::{use_load, use_page_title};
use crate::i18n::{Strings, use_i18n};

#[component]
pub fn StatsPage(school_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().admin_stats.to_string());
    let stats = use_load(move || api::admin::stats(school_id));
    refetch_on_school_change(school_id, move || stats.refetch());
    view! {
        <section class="screen" aria-labelledby="stats-heading">
            <h1 id="stats-heading">{move || i18n.t().admin_stats}</h1>
            {move || match stats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(stats)) => view! { <Stats stats=stats /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || stats.refetch() /> }.into_any(),
            }}
        </section>
    }
}

/// A CSV field: quoted when it holds a separator, a quote or a line break.
fn csv_field(value: &str) -> String {
    if value.contains([';', '"', '\n', ',']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The whole statistics as one CSV (`;`-separated, as Russian spreadsheets expect), in sections.
pub fn to_csv(stats: &SchoolStats, t: &Strings) -> String {
    let mut lines: Vec<String> = Vec::new();
    let row = |cells: &[&str]| cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(";");
    lines.push(row(&[t.stats_members, t.stats_count]));
    for count in &stats.members_by_role {
        lines.push(row(&[role_plural(count.role, t), &count.count.to_string()]));
    }
    lines.push(String::new());
    lines.push(row(&[t.stats_class, t.stats_size, t.stats_students, t.stats_parents]));
    for class in &stats.classes {
        let size = class.size.map(|n| n.to_string()).unwrap_or_default();
        lines.push(row(&[&class.name, &size, &class.students.to_string(), &class.parents.to_string()]));
    }
    for (title, days) in [
        (t.stats_active_days, &stats.active_per_day),
        (t.stats_active_weeks, &stats.active_per_week),
        (t.stats_messages_days, &stats.messages_per_day),
    ] {
        lines.push(String::new());
        lines.push(row(&[title, t.stats_count]));
        for day in days {
            lines.push(row(&[&day.day, &day.count.to_string()]));
        }
    }
    lines.join("\r\n") + "\r\n"
}

#[component]
fn Stats(stats: SchoolStats) -> impl IntoView {
    let class = style! {
        .roles {
            list-style: none;
            margin: 0;
            padding: 0;
            display: grid;
            grid-template-columns: repeat(auto-fill, minmax(min(100%, 10.5rem), 1fr));
            gap: var(--space-3);
        }
        .roles li {
            min-width: 0;
            padding: var(--space-3);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
            display: flex;
            flex-direction: column;
            overflow-wrap: anywhere;
        }
        .number {
            font-size: 1.75rem;
            font-weight: 700;
        }
        table {
            border-collapse: collapse;
            width: 100%;
            max-width: 48rem;
        }
        th,
        td {
            text-align: left;
            padding: var(--space-2);
            border-bottom: 1px solid var(--border);
            vertical-align: middle;
        }
        .n {
            text-align: right;
            font-variant-numeric: tabular-nums;
            white-space: nowrap;
        }
        meter {
            width: 100%;
            max-width: 8rem;
        }
        .export {
            align-self: flex-start;
        }
        @media (max-width: 40rem) {
            thead {
                position: absolute;
                width: 1px;
                height: 1px;
                overflow: hidden;
                clip: rect(0 0 0 0);
            }
            tbody {
                display: flex;
                flex-direction: column;
                gap: var(--space-3);
            }
            tr {
                display: grid;
                grid-template-columns: 1fr auto;
                gap: var(--space-1) var(--space-3);
                padding: var(--space-3);
                border: 1px solid var(--border);
                border-radius: var(--radius);
                background: var(--surface);
            }
            th,
            td {
                display: contents;
                padding: 0;
                border: 0;
            }
            th[scope="row"] {
                display: block;
                grid-column: 1 / -1;
                font-size: 1.0625rem;
            }
            td[data-label]::before {
                content: attr(data-label);
                color: var(--text-muted);
                text-align: left;
            }
            td.bar {
                display: block;
                grid-column: 1 / -1;
            }
            td.bar meter {
                max-width: none;
            }
        }
    };
    let i18n = use_i18n();
    let stats = StoredValue::new(stats);
    move || {
        let t = i18n.t();
        let s = stats.get_value();
        let csv = to_csv(&s, t);
        // A data: link: the file is made here, nothing more is asked of the server. The BOM makes
        // spreadsheet programs read the Cyrillic as UTF-8.
        let href = format!(
            "data:text/csv;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&format!("\u{feff}{csv}")))
        );
        let count_of = |role: Role| s.members_by_role.iter().find(|c| c.role == role).map_or(0, |c| c.count);
        let roles = [Role::Student, Role::Parent, Role::Teacher, Role::Admin]
            .into_iter()
            .map(|role| {
                view! { class=class,
                    <li><span class="number">{count_of(role)}</span><span>{role_plural(role, t)}</span></li>
                }
            })
            .collect_view();
        let classes = s
            .classes
            .iter()
            .map(|c| {
                let size = c.size.map(|n| n.to_string()).unwrap_or_else(|| "—".to_string());
                let meter = c.size.filter(|n| *n > 0).map(|n| view! { class=class,
                    <meter min="0" max=n value=c.students.min(n) aria-label=format!("{} {}/{}", c.name, c.students, n)></meter>
                });
                // Explicit roles: on a phone the rows are drawn as cards, and the table must stay a table
                // for screen readers.
                view! { class=class,
                    <tr role="row">
                        <th scope="row" role="rowheader">{c.name.clone()}</th>
                        <td role="cell" class="n" data-label=t.stats_size>{size}</td>
                        <td role="cell" class="n" data-label=t.stats_students>{c.students}</td>
                        <td role="cell" class="n" data-label=t.stats_parents>{c.parents}</td>
                        <td role="cell" class="bar">{meter}</td>
                    </tr>
                }
            })
            .collect_view();
        view! { class=class,
            <a class="button export" href=href download="parta-statistics.csv">{t.stats_export}</a>
            <section aria-labelledby="stats-roles">
                <h2 class="section-title" id="stats-roles">{t.stats_members}</h2>
                <ul class="roles">{roles}</ul>
            </section>
            <section aria-labelledby="stats-classes">
                <h2 class="section-title" id="stats-classes">{t.stats_adoption}</h2>
                <table role="table" aria-labelledby="stats-classes">
                    <thead role="rowgroup">
                        <tr role="row">
                            <th scope="col" role="columnheader">{t.stats_class}</th>
                            <th scope="col" role="columnheader" class="n">{t.stats_size}</th>
                            <th scope="col" role="columnheader" class="n">{t.stats_students}</th>
                            <th scope="col" role="columnheader" class="n">{t.stats_parents}</th>
                            <th scope="col" role="columnheader">{t.stats_progress}</th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">{classes}</tbody>
                </table>
            </section>
            <Bars id="stats-active-days" title=t.stats_active_days days=s.active_per_day.clone() />
            <Bars id="stats-active-weeks" title=t.stats_active_weeks days=s.active_per_week.clone() />
            <Bars id="stats-messages-days" title=t.stats_messages_days days=s.messages_per_day.clone() />
        }
    }
}

/// A bar per day (or week), with the same numbers as a table under «Показать числа».
#[component]
fn Bars(id: &'static str, title: &'static str, days: Vec<DayCount>) -> impl IntoView {
    let class = style! {
        svg {
            width: 100%;
            max-width: 48rem;
            height: 8rem;
            display: block;
        }
        rect {
            fill: var(--accent);
        }
        .axis {
            stroke: var(--border-strong);
        }
        .peak {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.9375rem;
        }
        summary {
            cursor: pointer;
            min-height: 2.75rem;
            display: flex;
            align-items: center;
        }
        td {
            padding: var(--space-1) var(--space-2);
        }
    };
    let i18n = use_i18n();
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1);
    let n = days.len().max(1) as u32;
    // A 100-high drawing stretched to the box: bars are as wide as the slot allows, minus a gap.
    let width = n * 10;
    let bars = days
        .iter()
        .enumerate()
        .map(|(index, day)| {
            let height = day.count * 96 / max;
            let x = index as u32 * 10 + 1;
            view! { class=class,
                <rect x=x y=100 - height width="8" height=height><title>{format!("{}: {}", day.day, day.count)}</title></rect>
            }
        })
        .collect_view();
    let total: u32 = days.iter().map(|d| d.count).sum();
    let rows = days
        .iter()
        .map(|d| view! { class=class, <tr><td>{d.day.clone()}</td><td>{d.count}</td></tr> })
        .collect_view();
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! { class=class,
        <section aria-labelledby=labelled_by>
            <h2 class="section-title" id=heading_id>{title}</h2>
            <svg viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" aria-hidden="true">
                {bars}
                <line class="axis" x1="0" y1="100" x2=width y2="100" />
            </svg>
            <p class="peak">{move || crate::i18n::fill(i18n.t().stats_total, &[("n", &total.to_string()), ("max", &max.to_string())])}</p>
            <details>
                <summary>{move || i18n.t().stats_show_numbers}</summary>
                <table>
                    <thead>
                        <tr><th scope="col">{move || i18n.t().stats_day}</th><th scope="col">{move || i18n.t().stats_count}</th></tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("5А"), "5А");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("say \"hi\";"), "\"say \"\"hi\"\";\"");
    }
}

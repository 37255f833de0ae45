//! Polls (опросы) and «Ознакомлен»: asking a poll from the composer, voting with live results, closing
//! it; acknowledging an announcement, and the list of who has and has not that its author chases.

use contract::{
    AckList, Message, NewPoll, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS, POLL_OPTION_MAX_CHARS,
    POLL_QUESTION_MAX_CHARS, Poll,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;

use super::chat::ChatState;
use super::list::role_name;
use crate::format::{full_date_time, plural};
use crate::i18n::{fill, use_i18n};
use crate::state::outbox::client_id;

/// Each option's share of the votes, in whole percent (0 when nobody voted).
pub fn shares(poll: &Poll) -> Vec<u32> {
    let total: u32 = poll.options.iter().map(|o| o.votes).sum();
    poll.options.iter().map(|o| (o.votes * 100 + total / 2).checked_div(total).unwrap_or(0)).collect()
}

/// The choices after the person clicked option `index`: that one alone in a single-choice poll; in a
/// multiple-choice one, toggled among the others.
pub fn choices_after(poll: &Poll, mine: &[u32], index: u32) -> Vec<u32> {
    if !poll.multiple {
        return vec![index];
    }
    let mut next: Vec<u32> = mine.iter().copied().filter(|i| *i != index).collect();
    if !mine.contains(&index) {
        next.push(index);
        next.sort_unstable();
    }
    next
}

/// A poll in the timeline: the question, an option per line with its share of the votes, and what the
/// person may do (vote, change, take back, close).
#[component]
pub fn PollView(state: ChatState, message: Message, poll: Poll) -> impl IntoView {
    let class = style! {
        .poll {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            width: min(20rem, 60vw);
        }
        .question {
            margin: 0;
            font-weight: 600;
            white-space: pre-wrap;
            overflow-wrap: anywhere;
        }
        .about {
            margin: 0;
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .option {
            position: relative;
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-height: 2.75rem;
            padding: var(--space-1) var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            overflow: hidden;
            cursor: pointer;
        }
        .option input {
            position: relative;
            z-index: 1;
            width: 1.125rem;
            height: 1.125rem;
            margin: 0;
            flex: none;
        }
        .bar {
            position: absolute;
            inset: 0 auto 0 0;
            background: var(--accent-surface);
            z-index: 0;
            pointer-events: none;
        }
        .label,
        .share {
            position: relative;
            z-index: 1;
        }
        .label {
            flex: 1;
            overflow-wrap: anywhere;
        }
        .share {
            font-variant-numeric: tabular-nums;
            font-size: 0.875rem;
            color: var(--text-muted);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            font-size: 0.875rem;
            color: var(--text-muted);
        }
        .link {
            border: 0;
            background: none;
            padding: var(--space-1) 0;
            min-height: 2.25rem;
            color: var(--accent-text);
            font: inherit;
            text-decoration: underline;
            cursor: pointer;
        }
    };
    let i18n = use_i18n();
    let id = message.id;
    let own = message.author.as_ref().is_some_and(|a| a.id == state.me);
    let can_close = (own || state.chat.with_value(|c| c.can_moderate)) && !poll.closed;
    let voted = !poll.my_choices.is_empty();
    let shares = shares(&poll);
    let busy = RwSignal::new(false);
    let poll = StoredValue::new(poll);
    let send_vote = move |choices: Vec<u32>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let chat_id = state.id();
        spawn_local(async move {
            match crate::api::vote(chat_id, id, choices).await {
                Ok(message) => state.apply(message),
                Err(error) => state.fail(&error),
            }
            let _ = busy.try_set(false);
        });
    };
    let close = move |_| {
        let chat_id = state.id();
        spawn_local(async move {
            match crate::api::close_poll(chat_id, id).await {
                Ok(message) => state.apply(message),
                Err(error) => state.fail(&error),
            }
        });
    };
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        poll.with_value(|poll| {
            let mut about = vec![if poll.anonymous { t.poll_anonymous } else { t.poll_named }];
            if poll.multiple {
                about.push(t.poll_multiple);
            }
            let deadline = poll
                .closes_at
                .as_ref()
                .filter(|_| !poll.closed)
                .map(|at| fill(t.poll_closes_at, &[("when", &full_date_time(at, lang))]));
            let kind = if poll.multiple { "checkbox" } else { "radio" };
            let closed = poll.closed;
            let options = poll
                .options
                .iter()
                .enumerate()
                .map(|(index, option)| {
                    let index = index as u32;
                    let mine = poll.my_choices.contains(&index);
                    let share = shares.get(index as usize).copied().unwrap_or(0);
                    let input_id = format!("poll-{id}-{index}");
                    let votes = plural(option.votes, t.poll_votes, lang);
                    let next = choices_after(poll, &poll.my_choices, index);
                    view! { class=class,
                        <li>
                            <label class="option" for=input_id.clone()>
                                <span class="bar" style:width=format!("{share}%")></span>
                                <input
                                    id=input_id.clone()
                                    type=kind
                                    name=format!("poll-{id}")
                                    prop:checked=mine
                                    disabled=move || closed || busy.get() || !state.info.with(|c| c.is_member)
                                    on:change={
                                        let next = next.clone();
                                        move |_| send_vote(next.clone())
                                    }
                                />
                                <span class="label">{option.text.clone()}</span>
                                <span class="share" title=votes.clone()>{format!("{share} %")}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! { class=class,
                <div class="poll" role="group" aria-labelledby=format!("poll-{id}-question")>
                    <p class="question" id=format!("poll-{id}-question")>{message.text.clone()}</p>
                    <p class="about">{about.join(" · ")}{deadline.map(|d| format!(" · {d}"))}</p>
                    <ul>{options}</ul>
                    <div class="actions">
                        <span>{plural(poll.voter_count, t.poll_voters, lang)}</span>
                        {poll.closed.then(|| view! { <span>"· "{t.poll_closed}</span> })}
                        {(voted && !poll.closed && !poll.multiple).then(|| view! { class=class,
                            <button type="button" class="link" on:click=move |_| send_vote(Vec::new())>{t.poll_retract}</button>
                        })}
                        {can_close.then(|| view! { class=class,
                            <button type="button" class="link" on:click=close>{t.poll_close}</button>
                        })}
                    </div>
                </div>
            }
        })
    }
}

/// Under an announcement that asked for «Ознакомлен»: the button for members, and for its author and
/// the chat's moderators how many have, with the list of who has and who has not.
#[component]
pub fn AckBar(state: ChatState, message: Message) -> impl IntoView {
    let class = style! {
        .ack {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            margin-top: var(--space-2);
            padding-top: var(--space-2);
            border-top: 1px solid var(--border);
        }
        .row {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
        .done {
            color: var(--text-muted);
            font-size: 0.875rem;
        }
        .count {
            border: 0;
            background: none;
            padding: var(--space-1) 0;
            min-height: 2.25rem;
            color: var(--accent-text);
            font: inherit;
            font-size: 0.875rem;
            text-decoration: underline;
            cursor: pointer;
        }
        h3 {
            margin: var(--space-2) 0 var(--space-1);
            font-size: 0.875rem;
        }
        ul {
            margin: 0;
            padding-left: var(--space-4);
            font-size: 0.875rem;
        }
        .muted {
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let Some(ack) = message.ack.clone() else { return ().into_any() };
    let id = message.id;
    let own = message.author.as_ref().is_some_and(|a| a.id == state.me);
    let sees_list = own || state.chat.with_value(|c| c.can_moderate);
    let mine = ack.user_ids.contains(&state.me);
    let list = RwSignal::new(None::<Result<AckList, crate::error::AppError>>);
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let acknowledge = move |_| {
        busy.set(true);
        let chat_id = state.id();
        spawn_local(async move {
            match crate::api::acknowledge(chat_id, id).await {
                Ok(message) => state.apply(message),
                Err(error) => state.fail(&error),
            }
            let _ = busy.try_set(false);
        });
    };
    let toggle_list = move |_| {
        let now_open = !open.get_untracked();
        open.set(now_open);
        if now_open {
            let chat_id = state.id();
            spawn_local(async move {
                let answer = crate::api::acks(chat_id, id).await;
                let _ = list.try_set(Some(answer));
            });
        }
    };
    let count = ack.user_ids.len() as u32;
    let asked = ack.asked;
    view! { class=class,
        <div class="ack">
            <div class="row">
                {(!own).then(|| if mine {
                    view! { class=class, <span class="done">{move || format!("✓ {}", i18n.t().ack_done)}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" disabled=move || busy.get() || !state.info.with(|c| c.is_member) on:click=acknowledge>
                            {move || i18n.t().ack_button}
                        </button>
                    }
                    .into_any()
                })}
                {sees_list.then(|| view! { class=class,
                    <button type="button" class="count" aria-expanded=move || open.get().to_string() on:click=toggle_list>
                        {move || fill(i18n.t().ack_count, &[("n", &count.to_string()), ("of", &asked.to_string())])}
                    </button>
                })}
            </div>
            {move || open.get().then(|| {
                let t = i18n.t();
                match list.get() {
                    None => view! { class=class, <p class="muted" role="status">{t.loading}</p> }.into_any(),
                    Some(Err(error)) => view! { class=class, <p class="muted" role="alert">{error.message(t)}</p> }.into_any(),
                    Some(Ok(list)) => {
                        let name_with_roles = |entry: &contract::AckEntry| {
                            let roles: Vec<&str> = entry.roles.iter().map(|r| role_name(*r, t)).collect();
                            if roles.is_empty() { entry.name.clone() } else { format!("{} ({})", entry.name, roles.join(", ")) }
                        };
                        let done = list.acknowledged.iter().map(|e| view! { <li>{name_with_roles(e)}</li> }).collect_view();
                        let pending = list.pending.iter().map(|e| view! { <li>{name_with_roles(e)}</li> }).collect_view();
                        view! { class=class,
                            <div role="region" aria-label=t.ack_list_label>
                                <h3>{fill(t.ack_acknowledged, &[("n", &list.acknowledged.len().to_string())])}</h3>
                                {if list.acknowledged.is_empty() {
                                    view! { class=class, <p class="muted">{t.ack_nobody_yet}</p> }.into_any()
                                } else {
                                    view! { <ul>{done}</ul> }.into_any()
                                }}
                                <h3>{fill(t.ack_pending, &[("n", &list.pending.len().to_string())])}</h3>
                                {if list.pending.is_empty() {
                                    view! { class=class, <p class="muted">{t.ack_everyone}</p> }.into_any()
                                } else {
                                    view! { <ul>{pending}</ul> }.into_any()
                                }}
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </div>
    }
    .into_any()
}

/// The composer's form for a new poll: a question, 2–10 options, single or multiple choice, anonymous
/// or named, an optional deadline. What was typed stays when sending fails.
#[component]
pub fn PollForm(state: ChatState, on_done: Callback<()>) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            padding: var(--space-3);
            margin-bottom: var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
            max-height: 60dvh;
            overflow-y: auto;
        }
        h2 {
            margin: 0;
            font-size: 1.0625rem;
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        input[type="text"],
        input[type="datetime-local"] {
            font: inherit;
            padding: var(--space-2) var(--space-3);
            min-height: 2.75rem;
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
            width: 100%;
        }
        input[aria-invalid="true"] {
            border-color: var(--danger);
            border-width: 2px;
        }
        .option {
            display: flex;
            gap: var(--space-2);
            align-items: center;
        }
        .remove {
            flex: none;
            min-width: 2.75rem;
            min-height: 2.75rem;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
            color: var(--text);
            cursor: pointer;
        }
        .check {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-height: 2.75rem;
            font-weight: 400;
        }
        .check input {
            width: 1.25rem;
            height: 1.25rem;
            margin: 0;
        }
        .message {
            color: var(--danger);
            font-weight: 600;
            font-size: 0.9375rem;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
    };
    let i18n = use_i18n();
    let question = RwSignal::new(String::new());
    // Each option with a key of its own, so that removing one keeps the others' inputs (and focus).
    let next_key = StoredValue::new(2usize);
    let options =
        RwSignal::new(vec![(0usize, RwSignal::new(String::new())), (1, RwSignal::new(String::new()))]);
    let multiple = RwSignal::new(false);
    let anonymous = RwSignal::new(false);
    let deadline = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(&'static str, String)>);
    let sending = RwSignal::new(false);
    // Made once per form: sending again after a lost answer is the same poll, not a second one.
    let client = StoredValue::new(client_id());

    // A click runs under the owner of the view that drew the button, which is redrawn (and its
    // signals disposed) when the options change: new options belong to the form itself.
    let form_owner = StoredValue::new(Owner::current());
    let add_option = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let text = form_owner.get_value().map_or_else(
            || RwSignal::new(String::new()),
            |owner| owner.with(|| RwSignal::new(String::new())),
        );
        options.update(|list| list.push((key, text)));
        let focus_id = format!("poll-option-{key}");
        request_animation_frame(move || {
            if let Some(input) = document().get_element_by_id(&focus_id) {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(input).focus();
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t_untracked();
        let asked = question.get_untracked().trim().to_string();
        let texts: Vec<String> =
            options.get_untracked().iter().map(|(_, text)| text.get_untracked().trim().to_string()).collect();
        let filled: Vec<String> = texts.iter().filter(|text| !text.is_empty()).cloned().collect();
        let found = if asked.is_empty() {
            Some(("poll-question", t.poll_question_required.to_string()))
        } else if asked.chars().count() > POLL_QUESTION_MAX_CHARS {
            Some((
                "poll-question",
                fill(t.poll_question_too_long, &[("n", &POLL_QUESTION_MAX_CHARS.to_string())]),
            ))
        } else if filled.len() < POLL_MIN_OPTIONS {
            Some(("poll-options", t.poll_options_too_few.to_string()))
        } else if filled.iter().any(|o| o.chars().count() > POLL_OPTION_MAX_CHARS) {
            Some(("poll-options", fill(t.poll_option_too_long, &[("n", &POLL_OPTION_MAX_CHARS.to_string())])))
        } else if filled.iter().enumerate().any(|(i, o)| filled[..i].contains(o)) {
            Some(("poll-options", t.poll_options_repeat.to_string()))
        } else {
            None
        };
        if let Some(found) = found {
            problem.set(Some(found));
            return;
        }
        let closes_at = {
            let local = deadline.get_untracked();
            // `datetime-local` is the person's own time: the browser turns it into an instant.
            (!local.is_empty())
                .then(|| js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&local)))
                .filter(|date| !date.get_time().is_nan())
                .map(|date| String::from(date.to_iso_string()))
        };
        if deadline.with_untracked(|d| !d.is_empty()) && closes_at.is_none() {
            problem.set(Some(("poll-deadline", t.field_invalid_date.to_string())));
            return;
        }
        problem.set(None);
        let body = NewPoll {
            client_id: client.get_value(),
            question: asked,
            options: filled,
            multiple: multiple.get_untracked(),
            anonymous: anonymous.get_untracked(),
            closes_at,
        };
        sending.set(true);
        let chat_id = state.id();
        spawn_local(async move {
            match crate::api::create_poll(chat_id, &body).await {
                Ok(message) => {
                    state.apply(message);
                    let _ = state.scroll_to_end.try_update(|n| *n += 1);
                    on_done.run(());
                }
                Err(error) => {
                    let t = i18n.t_untracked();
                    let field = if error.problem_of("closes_at").is_some() {
                        "poll-deadline"
                    } else if error.problem_of("question").is_some() {
                        "poll-question"
                    } else {
                        "poll-options"
                    };
                    let _ = problem.try_set(Some((field, error.message(t))));
                }
            }
            let _ = sending.try_set(false);
        });
    };
    let error_for = move |field: &'static str| {
        move || problem.with(|p| p.as_ref().filter(|(f, _)| *f == field).map(|(_, text)| text.clone()))
    };
    let invalid = move |field: &'static str| {
        move || problem.with(|p| p.as_ref().is_some_and(|(f, _)| *f == field)).then_some("true")
    };
    view! { class=class,
        <form on:submit=on_submit novalidate aria-labelledby="poll-form-heading">
            <h2 id="poll-form-heading">{move || i18n.t().poll_new_title}</h2>
            <div class="field">
                <label for="poll-question">{move || i18n.t().poll_question}</label>
                <input
                    id="poll-question"
                    type="text"
                    autocomplete="off"
                    aria-invalid=invalid("poll-question")
                    aria-describedby="poll-question-error"
                    prop:value=move || question.get()
                    on:input=move |ev| question.set(event_target_value(&ev))
                />
                <span class="message" id="poll-question-error" aria-live="polite">{error_for("poll-question")}</span>
            </div>
            <fieldset class="field" aria-describedby="poll-options-error">
                <legend>{move || i18n.t().poll_options}</legend>
                // Redrawn only when an option is added or removed (the texts live in their own signals);
                // a keyed `For` would add its own copy of the keyed diffing to the wasm.
                {move || options.get().into_iter().map(|option| {
                    {
                        let (key, text) = option;
                        let input_id = format!("poll-option-{key}");
                        let position = move || options.with(|list| list.iter().position(|(k, _)| *k == key).unwrap_or(0) + 1);
                        view! { class=class,
                            <div class="option">
                                <input
                                    id=input_id
                                    type="text"
                                    autocomplete="off"
                                    aria-label=move || fill(i18n.t().poll_option_label, &[("n", &position().to_string())])
                                    aria-invalid=invalid("poll-options")
                                    prop:value=move || text.get()
                                    on:input=move |ev| text.set(event_target_value(&ev))
                                />
                                {move || (options.with(Vec::len) > POLL_MIN_OPTIONS).then(|| view! { class=class,
                                    <button
                                        type="button"
                                        class="remove"
                                        aria-label=fill(i18n.t().poll_option_remove, &[("n", &position().to_string())])
                                        on:click=move |_| options.update(|list| list.retain(|(k, _)| *k != key))
                                    >"✕"</button>
                                })}
                            </div>
                        }
                    }
                }).collect_view()}
                <span class="message" id="poll-options-error" aria-live="polite">{error_for("poll-options")}</span>
                {move || (options.with(Vec::len) < POLL_MAX_OPTIONS).then(|| view! {
                    <div><button type="button" class="button button--ghost" on:click=add_option>{i18n.t().poll_option_add}</button></div>
                })}
            </fieldset>
            <label class="check">
                <input type="checkbox" prop:checked=move || multiple.get() on:change=move |ev| multiple.set(event_target_checked(&ev)) />
                {move || i18n.t().poll_multiple_choice}
            </label>
            <label class="check">
                <input type="checkbox" prop:checked=move || anonymous.get() on:change=move |ev| anonymous.set(event_target_checked(&ev)) />
                {move || i18n.t().poll_anonymous_choice}
            </label>
            <div class="field">
                <label for="poll-deadline">{move || i18n.t().poll_deadline}</label>
                <input
                    id="poll-deadline"
                    type="datetime-local"
                    aria-invalid=invalid("poll-deadline")
                    aria-describedby="poll-deadline-error"
                    prop:value=move || deadline.get()
                    on:input=move |ev| deadline.set(event_target_value(&ev))
                />
                <span class="message" id="poll-deadline-error" aria-live="polite">{error_for("poll-deadline")}</span>
            </div>
            <div class="actions">
                <button type="submit" class="button" disabled=move || sending.get()>{move || i18n.t().poll_send}</button>
                <button type="button" class="button button--ghost" on:click=move |_| on_done.run(())>{move || i18n.t().cancel}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use contract::PollOption;

    use super::*;

    fn poll(votes: &[u32], multiple: bool) -> Poll {
        Poll {
            options: votes
                .iter()
                .map(|v| PollOption { text: String::new(), votes: *v, voter_ids: Vec::new() })
                .collect(),
            multiple,
            anonymous: false,
            closes_at: None,
            closed: false,
            voter_count: 0,
            my_choices: Vec::new(),
        }
    }

    #[test]
    fn shares_are_whole_percent_and_zero_without_votes() {
        assert_eq!(shares(&poll(&[0, 0], false)), vec![0, 0]);
        assert_eq!(shares(&poll(&[1, 2], false)), vec![33, 67]);
        assert_eq!(shares(&poll(&[3, 0, 1], false)), vec![75, 0, 25]);
    }

    #[test]
    fn a_click_picks_one_option_or_toggles_among_several() {
        assert_eq!(choices_after(&poll(&[0, 0, 0], false), &[0], 2), vec![2]);
        assert_eq!(choices_after(&poll(&[0, 0, 0], true), &[0], 2), vec![0, 2]);
        assert_eq!(choices_after(&poll(&[0, 0, 0], true), &[0, 2], 0), vec![2]);
        assert_eq!(choices_after(&poll(&[0, 0, 0], true), &[], 1), vec![1]);
    }
}

//! «Заявки»: join requests waiting for this person's decision, and for administrators the teachers
//! waiting for their «учитель» status to be confirmed or for a class. All refresh live.

use contract::{JoinRequest, ServerEvent, TeacherVerification};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::format::full_date_time;
use crate::hooks::{Submit, use_load, use_page_title, use_submit};
use crate::i18n::{fill, use_i18n};
use crate::pages::admin::{AdminFrame, Section};
use crate::pages::chats::role_name;
use crate::state::connection::use_connection;
use crate::state::session::use_session;

use super::class_requests::ClassRequests;

#[component]
pub fn RequestsScreen(school_id: i64) -> impl IntoView {
    let class = style! {
        .screen {
            gap: var(--space-6);
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    use_page_title(move || i18n.t().requests_title.to_string());
    let is_admin = move || {
        session.me().is_some_and(|me| {
            me.schools.iter().any(|s| s.school.id == school_id && s.roles.contains(&contract::Role::Admin))
        })
    };
    view! { class=class,
        <AdminFrame school_id=school_id section=Section::Requests>
            <section class="screen" aria-labelledby="requests-heading">
                <h1 id="requests-heading">{move || i18n.t().requests_title}</h1>
                <JoinRequests school_id=school_id />
                {move || is_admin().then(|| view! { <Verifications school_id=school_id /> <ClassRequests school_id=school_id /> })}
            </section>
        </AdminFrame>
    }
}

/// Reloads `refetch` whenever the server says decisions of this school changed.
pub(super) fn refetch_on_decisions(school_id: i64, refetch: impl Fn() + 'static) {
    let connection = use_connection();
    Effect::new(move |_| {
        if let Some(ServerEvent::DecisionsChanged { school_id: changed }) = connection.event()
            && changed == school_id
        {
            refetch();
        }
    });
}

#[component]
fn JoinRequests(school_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let requests = use_load(move || api::join_requests(school_id));
    refetch_on_decisions(school_id, move || requests.refetch());
    view! {
        <section aria-labelledby="join-requests-heading">
            <h2 class="section-title" id="join-requests-heading">{move || i18n.t().join_requests_title}</h2>
            {move || match requests.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="✅" title=t.join_requests_empty_title text=t.join_requests_empty_text /> }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! { <RequestRows school_id=school_id requests=list on_changed=move || requests.refetch() /> }
                        .into_any()
                }
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || requests.refetch() /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RequestRows(
    school_id: i64,
    requests: Vec<JoinRequest>,
    #[prop(into)] on_changed: Callback<()>,
) -> impl IntoView {
    let class = style! {
        .who {
            margin: 0;
            font-size: 1.0625rem;
            font-weight: 600;
        }
        .what {
            margin: 0;
            color: var(--text-muted);
        }
    };
    let i18n = use_i18n();
    let deciding = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let ids: Vec<i64> = requests.iter().map(|r| r.id).collect();
    let requests = StoredValue::new(requests);
    let decide = move |id: i64, approve: bool| {
        deciding.run(async move {
            match api::decide_request(id, approve).await {
                Ok(_) => on_changed.run(()),
                Err(error) => {
                    failure.set(Some(error));
                    on_changed.run(());
                }
            }
        });
    };
    let approve_all = move |_| {
        let ids = ids.clone();
        deciding.run(async move {
            match api::approve_requests(school_id, ids).await {
                Ok(_) => on_changed.run(()),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let rows = requests.with_value(|list| {
            list.iter()
                .map(|request| {
                    let id = request.id;
                    let mut what =
                        fill(t.join_request_what, &[("place", &request.target_name), ("role", role_name(request.role, t))]);
                    if let Some(child) = &request.child_name {
                        what = format!("{what} · {}", fill(t.join_request_child, &[("child", child)]));
                    }
                    let via = request.invite_label.clone().unwrap_or_else(|| t.join_request_link.to_string());
                    view! { class=class,
                        <li data-request=id>
                            <p class="who">{request.person.name.clone()}</p>
                            <p class="what">{what}</p>
                            <p class="what">{fill(t.join_request_via, &[("link", &via), ("when", &full_date_time(&request.created_at, lang))])}</p>
                            <Decision yes=t.approve no=t.reject busy=deciding on_decide=move |approve| decide(id, approve) />
                        </li>
                    }
                })
                .collect_view()
        });
        let many = requests.with_value(|list| list.len() > 1);
        view! { class=class,
            {many.then(|| view! {
                <button type="button" class="button" on:click=approve_all.clone() disabled=move || deciding.pending()>
                    {t.approve_all}
                </button>
            })}
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            <ul class="card-list">{rows}</ul>
        }
    }
}

#[component]
fn Verifications(school_id: i64) -> impl IntoView {
    let class = style! {
        li {
            flex-direction: row;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
        }
        .who {
            margin: 0;
            font-weight: 600;
        }
    };
    let i18n = use_i18n();
    let list = use_load(move || api::verifications(school_id));
    refetch_on_decisions(school_id, move || list.refetch());
    let deciding = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let decide = move |id: i64, approve: bool| {
        deciding.run(async move {
            if let Err(error) = api::decide_verification(id, approve).await {
                failure.set(Some(error));
            }
            list.refetch();
        });
    };
    // Only those on screen: a request that arrived meanwhile waits to be seen.
    let approve_all = move |ids: Vec<i64>| {
        deciding.run(async move {
            if let Err(error) = api::approve_verifications(school_id, ids).await {
                failure.set(Some(error));
            }
            list.refetch();
        });
    };
    let rows = move |items: Vec<TeacherVerification>| {
        let t = i18n.t();
        let ids: Vec<i64> = items.iter().map(|item| item.id).collect();
        let all = (ids.len() > 1).then(|| view! {
            <button type="button" class="button" on:click=move |_| approve_all(ids.clone()) disabled=move || deciding.pending()>
                {t.verification_confirm_all}
            </button>
        });
        let rows = items
            .into_iter()
            .map(|item| {
                let id = item.id;
                view! { class=class,
                    <li data-verification=id>
                        <p class="who">{item.teacher.name}</p>
                        <Decision
                            yes=t.verification_confirm
                            no=t.verification_decline
                            busy=deciding
                            on_decide=move |approve| decide(id, approve)
                        />
                    </li>
                }
            })
            .collect_view();
        view! { class=class, {all} <ul class="card-list">{rows}</ul> }
    };
    view! { class=class,
        <section aria-labelledby="verifications-heading">
            <h2 class="section-title" id="verifications-heading">{move || i18n.t().verifications_title}</h2>
            {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
            {move || match list.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="🎓" title=t.verifications_empty_title text=t.verifications_empty_text /> }
                        .into_any()
                }
                Some(Ok(items)) => rows(items).into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || list.refetch() /> }.into_any(),
            }}
        </section>
    }
}

/// Yes and no for one request, both idle while a decision is under way.
#[component]
fn Decision(
    /// The button that approves.
    yes: &'static str,
    /// The button that refuses.
    no: &'static str,
    /// The decision under way, if any.
    busy: Submit,
    /// Called with `true` for yes.
    #[prop(into)]
    on_decide: Callback<bool>,
) -> impl IntoView {
    view! {
        <div class="row">
            <button type="button" class="button button--primary" on:click=move |_| on_decide.run(true) disabled=move || busy.pending()>
                {yes}
            </button>
            <button type="button" class="button" on:click=move |_| on_decide.run(false) disabled=move || busy.pending()>
                {no}
            </button>
        </div>
    }
}

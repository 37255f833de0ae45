//! «Пригласить родителей всего класса»: one step for the class teacher instead of one link per
//! student. Every student whose parent is not in the school yet gets their own one-use link; the
//! links are listed with their codes, each opening its page (QR code, printable sheet).

use contract::{ClassParentInvites, display_code};
use leptos::prelude::*;
use stylers_macro::style;

use crate::api;
use crate::error::AppError;
use crate::hooks::use_submit;
use crate::i18n::{fill, use_i18n};
use crate::routes;
use crate::state::invite_keys::{CreatedLink, link_url, remember_link};
use crate::state::session::use_session;

#[component]
pub fn ClassParentLinks(
    /// The class whose students' parents are invited.
    class_id: i64,
) -> impl IntoView {
    let class = style! {
        .class-parents {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            margin-bottom: var(--space-4);
        }
        p {
            margin: 0;
        }
        .hint {
            color: var(--text-muted);
        }
        .button {
            align-self: flex-start;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        li {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
            min-width: 0;
        }
        .child {
            font-weight: 600;
        }
        .url {
            overflow-wrap: anywhere;
            font-family: ui-monospace, monospace;
            font-size: 0.875rem;
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let making = use_submit();
    let made = RwSignal::new(None::<Result<ClassParentInvites, AppError>>);
    let make = move |_| {
        let Some(me) = session.me() else { return };
        making.run(async move {
            let answer = api::class_parent_invites(class_id).await;
            if let Ok(links) = &answer {
                // Each token is shown only now: kept for its link's page, for the person who made it.
                for created in &links.invites {
                    remember_link(
                        me.user.id,
                        created.invite.id,
                        CreatedLink { token: created.token.clone(), code: created.code.clone() },
                    );
                }
            }
            let _ = made.try_set(Some(answer));
        });
    };
    let outcome = move || {
        let t = i18n.t();
        made.get().map(|answer| match answer {
            Err(error) => view! { <p class="alert" role="alert">{error.message(t)}</p> }.into_any(),
            Ok(links) => {
                let mut said = if links.invites.is_empty() {
                    t.class_parents_none.to_string()
                } else {
                    fill(t.class_parents_made, &[("n", &links.invites.len().to_string())])
                };
                if links.skipped > 0 && !links.invites.is_empty() {
                    said = format!("{said} {}", fill(t.class_parents_skipped, &[("n", &links.skipped.to_string())]));
                }
                let rows = links
                    .invites
                    .into_iter()
                    .map(|created| {
                        let child = created.invite.child.map(|c| c.name).unwrap_or_default();
                        let open = fill(t.class_parents_open, &[("name", &child)]);
                        view! { class=class,
                            <li>
                                <span class="child">{child}</span>
                                <span class="url">{link_url(&created.token)}</span>
                                <span>{fill(t.class_parents_code, &[("code", &display_code(&created.code))])}</span>
                                <a href=routes::invite(created.invite.id)>{open}</a>
                            </li>
                        }
                    })
                    .collect_view();
                view! { class=class,
                    <p role="status">{said}</p>
                    <ul>{rows}</ul>
                }
                .into_any()
            }
        })
    };
    view! { class=class,
        <section class="class-parents" aria-labelledby="class-parents-heading">
            {move || {
                let t = i18n.t();
                view! { class=class,
                    <h2 id="class-parents-heading" class="visually-hidden">{t.class_parents_invite}</h2>
                    <button type="button" class="button button--primary" on:click=make disabled=move || making.pending()>
                        {t.class_parents_invite}
                    </button>
                    <p class="hint">{t.class_parents_hint}</p>
                }
            }}
            {outcome}
        </section>
    }
}

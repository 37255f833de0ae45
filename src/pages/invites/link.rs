//! One invite: its link to copy or share, the same link as a QR code, the short code, and invite
//! sheets to print and hand out at a parents' meeting.

use contract::{Invite, InviteState, display_code};
use leptos::prelude::*;
use stylers_macro::style;

use super::list::{state_name, uses_text};
use crate::api;
use crate::components::{ErrorNotice, Loading, QrCode};
use crate::error::AppError;
use crate::format::long_date;
use crate::hooks::{Shared, can_share, copy_text, share_link, use_load, use_page_title, use_submit};
use crate::i18n::{fill, use_i18n};
use crate::pages::chats::role_name;
use crate::routes;
use crate::state::invite_keys::{CreatedLink, created_link, link_url};
use crate::state::session::use_session;

/// Invite sheets per printed A4 page: two columns of three.
const SHEETS_PER_PAGE: usize = 6;

#[component]
pub fn InviteScreen(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().invite_title.to_string());
    let invite = use_load(move || api::invite(id));
    move || match invite.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(found)) => {
            view! { <InviteDetails invite=found on_changed=move || invite.refetch() /> }.into_any()
        }
        Some(Err(error)) => {
            view! { <ErrorNotice error=error on_retry=move || invite.refetch() /> }.into_any()
        }
    }
}

#[component]
fn InviteDetails(invite: Invite, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let class = style! {
        .meta {
            margin: 0;
            color: var(--text-muted);
        }
        .link {
            display: grid;
            gap: var(--space-4);
            align-items: start;
        }
        .qr {
            width: min(18rem, 100%);
            padding: var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: #ffffff;
        }
        .share {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            min-width: 0;
        }
        .share p {
            margin: 0;
        }
        label {
            font-weight: 600;
        }
        .url {
            font: inherit;
            width: 100%;
            padding: var(--space-3);
            border: 1px solid var(--border-strong);
            border-radius: var(--radius-s);
            background: var(--surface-sunken);
            color: var(--text);
        }
        .code {
            font-family: ui-monospace, monospace;
            font-size: 1.375rem;
            font-weight: 700;
            letter-spacing: 0.125rem;
        }
        .said {
            min-height: 1.5rem;
            margin: 0;
            color: var(--text-muted);
        }
        @media (min-width: 56rem) {
            .link {
                grid-template-columns: auto 1fr;
            }
        }
    };
    let i18n = use_i18n();
    let session = use_session();
    let me = session.me();
    let user_id = me.as_ref().map(|me| me.user.id).unwrap_or_default();
    let school_name = me
        .and_then(|me| me.schools.into_iter().find(|s| s.school.id == invite.school_id))
        .map(|s| s.school.name)
        .unwrap_or_default();
    let link = created_link(user_id, invite.id);
    let active = invite.state == InviteState::Active;
    let school_id = invite.school_id;
    let invite_id = invite.id;
    let invite = StoredValue::new(invite);
    let school_name = StoredValue::new(school_name);

    let said = RwSignal::new(None::<&'static str>);
    let url = link.as_ref().map(|link| link_url(&link.token));
    let copy = {
        let url = url.clone().unwrap_or_default();
        move |_| {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let t = i18n.t();
                said.set(Some(if copy_text(&url).await { t.invite_copied } else { t.invite_copy_failed }));
            });
        }
    };
    let share = {
        let url = url.clone().unwrap_or_default();
        move |_| {
            let url = url.clone();
            let title = invite.with_value(|i| i.target_name.clone());
            leptos::task::spawn_local(async move {
                let t = i18n.t();
                if share_link(&title, &url).await == Shared::Unavailable {
                    said.set(Some(if copy_text(&url).await {
                        t.invite_copied
                    } else {
                        t.invite_copy_failed
                    }));
                }
            });
        }
    };

    let revoking = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let revoke = move |_| {
        if !window().confirm_with_message(i18n.t().invite_revoke_confirm).unwrap_or(false) {
            return;
        }
        revoking.run(async move {
            match api::revoke_invite(invite_id).await {
                Ok(_) => on_changed.run(()),
                Err(error) => failure.set(Some(error)),
            }
        });
    };

    let link = StoredValue::new(link);
    let share_available = can_share();
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let (title, meta) = invite.with_value(|i| {
            let expires = i.expires_at.as_deref().map_or_else(
                || t.invite_never_expires.to_string(),
                |at| fill(t.invite_until, &[("date", &long_date(at, lang))]),
            );
            (
                fill(t.invite_row_title, &[("place", &i.target_name), ("role", role_name(i.role, t))]),
                fill(
                    t.invite_meta,
                    &[("state", state_name(i.state, t)), ("uses", &uses_text(i, t)), ("expires", &expires)],
                ),
            )
        });
        let body = match (link.get_value(), active) {
            (Some(CreatedLink { token, code }), true) => {
                let url = link_url(&token);
                let qr_label = fill(t.invite_qr_label, &[("place", &title)]);
                let copy = copy.clone();
                let share = share.clone();
                view! { class=class,
                    <div class="link">
                        <div class="qr">
                            <QrCode text=url.clone() aria_label=qr_label />
                        </div>
                        <div class="share">
                            <label for="invite-url">{t.invite_link}</label>
                            <input id="invite-url" class="url" type="text" readonly value=url.clone() on:focus=|ev| {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            } />
                            <div class="row">
                                <button type="button" class="button button--primary" on:click=copy>{t.invite_copy}</button>
                                {share_available.then(|| view! {
                                    <button type="button" class="button" on:click=share>{t.invite_share}</button>
                                })}
                                <button type="button" class="button" on:click=|_| { let _ = window().print(); }>
                                    {t.invite_print}
                                </button>
                            </div>
                            <p class="said" role="status">{move || said.get()}</p>
                            <p>{t.invite_code_lead}</p>
                            <p class="code" data-code=code.clone()>{display_code(&code)}</p>
                        </div>
                    </div>
                    <PrintSheets
                        school=school_name.get_value()
                        place=invite.with_value(|i| i.target_name.clone())
                        role=invite.with_value(|i| role_name(i.role, t))
                        url=url
                        code=code
                    />
                }
                .into_any()
            }
            (_, true) => view! { <p class="note">{t.invite_link_elsewhere}</p> }.into_any(),
            (_, false) => view! { <p class="note">{t.invite_not_active}</p> }.into_any(),
        };
        view! { class=class,
            <section class="screen" aria-labelledby="invite-heading">
                <h1 id="invite-heading">{title}</h1>
                <p class="meta">{meta}</p>
                {invite.with_value(|i| i.label.clone()).map(|label| view! { class=class, <p class="meta">{label}</p> })}
                {body}
                {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
                <div class="row">
                    {active.then(|| view! {
                        <button type="button" class="button" on:click=revoke disabled=move || revoking.pending()>
                            {t.invite_revoke}
                        </button>
                    })}
                    <a class="button button--ghost" href=routes::invites(school_id)>{t.invites_back}</a>
                </div>
            </section>
        }
    }
}

/// Invite sheets for print only: school, place, role, the QR code, the link and the short code, six to
/// an A4 page, to cut apart and hand out.
#[component]
fn PrintSheets(
    school: String,
    place: String,
    role: &'static str,
    url: String,
    code: String,
) -> impl IntoView {
    let class = style! {
        .sheets {
            display: none;
        }
        @media print {
            .sheets {
                display: grid;
                grid-template-columns: 1fr 1fr;
                gap: 0;
            }
            .sheet {
                break-inside: avoid;
                height: 86mm;
                padding: 4mm;
                border: 1px dashed #777777;
                display: grid;
                grid-template-columns: 38mm 1fr;
                gap: 4mm;
                align-items: center;
                color: #000000;
                font-size: 9pt;
            }
            .qr {
                width: 38mm;
            }
            .sheet h2 {
                margin: 0 0 2mm;
                font-size: 13pt;
            }
            .sheet p {
                margin: 0 0 1.5mm;
            }
            .small {
                font-size: 8pt;
                overflow-wrap: anywhere;
            }
            .code {
                font-family: monospace;
                font-size: 14pt;
                font-weight: 700;
            }
        }
    };
    let i18n = use_i18n();
    let t = i18n.t();
    let sheets = (0..SHEETS_PER_PAGE)
        .map(|_| {
            view! { class=class,
                <div class="sheet">
                    <div class="qr"><QrCode text=url.clone() aria_label=String::new() /></div>
                    <div>
                        <p>{school.clone()}</p>
                        <h2>{place.clone()}</h2>
                        <p>{fill(t.invite_sheet_role, &[("role", role)])}</p>
                        <p>{t.invite_sheet_scan}</p>
                        <p class="small">{url.clone()}</p>
                        <p>{t.invite_sheet_code}</p>
                        <p class="code">{display_code(&code)}</p>
                    </div>
                </div>
            }
        })
        .collect_view();
    view! { class=class, <div class="sheets print-only" aria-hidden="true">{sheets}</div> }
}

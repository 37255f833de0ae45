//! A one-use link for one student's parent, bound to that student: made by the student themselves
//! (their chat list), or by a teacher of their class or an administrator (the class's member lists).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::error::AppError;
use crate::hooks::use_submit;
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::invite_keys::{CreatedLink, remember_link};
use crate::state::session::use_session;

/// Makes the link and opens its page (link, QR code, printable sheet). `label` names the button; the
/// accessible name says whose parent it is for when several such buttons share a list.
#[component]
pub fn ParentLinkButton(
    school_id: i64,
    student_id: i64,
    label: &'static str,
    #[prop(optional, into)] accessible_name: Option<String>,
    #[prop(optional)] ghost: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let making = use_submit();
    let failure = RwSignal::new(None::<AppError>);
    let make = move |_| {
        let Some(me) = session.me() else { return };
        failure.set(None);
        making.run(async move {
            match crate::api::parent_invite(school_id, student_id).await {
                Ok(created) => {
                    // The token is shown only now: kept for the link's page, for the person who made it.
                    remember_link(
                        me.user.id,
                        created.invite.id,
                        CreatedLink { token: created.token, code: created.code },
                    );
                    navigate.with_value(|navigate| {
                        navigate(&routes::invite(created.invite.id), Default::default())
                    });
                }
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    let class = if ghost { "button button--ghost" } else { "button" };
    view! {
        <button type="button" class=class aria-label=accessible_name on:click=make disabled=move || making.pending()>
            {label}
        </button>
        {move || failure.get().map(|error| view! { <p class="alert" role="alert">{error.message(i18n.t())}</p> })}
    }
}

//! The staff's screens — invite links, join requests, the administrator's screens — are a bundle of
//! their own (`src/bin/staff.rs`, served as `/staff.html`), so that a parent opening a link never
//! downloads them. The parents' bundle (`src/main.rs`) has every other screen; on a staff address it
//! loads `/staff.html?to=<the address>`, which is the whole app plus these screens and puts the
//! address back before its router starts. Any host that serves the app's files can serve both.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::{EmptyState, Loading, Shell};
use crate::hooks::use_page_title;
use crate::i18n::use_i18n;
use crate::pages::admin::AdminScreen;
use crate::pages::invites::{InviteScreen, InvitesScreen, NewInviteScreen, RequestsScreen};
use crate::routes::Screen;

/// Where the staff bundle's page is.
pub const STAFF_PAGE: &str = "/staff.html";

/// Draws a staff screen; present only in the staff bundle.
#[derive(Clone, Copy)]
pub struct StaffScreens(pub fn(Screen) -> AnyView);

/// The staff bundle's screens (referenced only from [`crate::start_staff`], so the parents' bundle
/// does not contain them).
pub fn screens(screen: Screen) -> AnyView {
    match screen {
        Screen::Invites(school) => view! { <InvitesScreen school_id=school /> }.into_any(),
        Screen::NewInvite(school) => view! { <NewInviteScreen school_id=school /> }.into_any(),
        Screen::Invite(id) => view! { <InviteScreen id=id /> }.into_any(),
        Screen::Requests(school) => view! { <RequestsScreen school_id=school /> }.into_any(),
        Screen::Admin(school, page) => view! { <AdminScreen school_id=school page=page /> }.into_any(),
        _ => ().into_any(),
    }
}

/// The staff bundle's start: puts back the address the parents' bundle came from.
pub fn restore_address() {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let to = web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|params| params.get("to"));
    // Only a path of this origin: `//host` would be another site's.
    let to = to.filter(|to| to.starts_with('/') && !to.starts_with("//")).unwrap_or_else(|| "/".into());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to));
    }
}

/// In the parents' bundle, on a staff address: loads the staff bundle for it.
#[component]
pub fn LoadStaff() -> impl IntoView {
    // The router's address: on a click, the browser's changes only after the new screen is drawn.
    let location = use_location();
    let search = location.search.get_untracked();
    let here = if search.is_empty() {
        location.pathname.get_untracked()
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    let to = web_sys::UrlSearchParams::new().map(|params| {
        params.set("to", &here);
        String::from(params.to_string())
    });
    if let Ok(query) = to {
        let _ = window().location().replace(&format!("{STAFF_PAGE}?{query}"));
    }
    view! { <Loading /> }
}

/// `/staff.html` answered by the parents' bundle: the service worker's page without a network.
#[component]
pub fn StaffUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(move || i18n.t().staff_offline_title.to_string());
    let retry = move |_| {
        let _ = window().location().reload();
    };
    view! {
        <Shell brand_links_home=true>
            <div class="page-center">
                <div class="card">
                    {move || {
                        let t = i18n.t();
                        view! {
                            <h1>{t.staff_offline_title}</h1>
                            <EmptyState symbol="📡" title=t.unreachable_title text=t.staff_offline_text>
                                <button type="button" class="button button--primary" on:click=retry>{t.action_retry}</button>
                            </EmptyState>
                        }
                    }}
                </div>
            </div>
        </Shell>
    }
}

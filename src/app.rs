//! The root component and every route of the app.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use crate::components::Loading;
use crate::hooks::use_load;
use crate::i18n::provide_i18n;
use crate::pages::chats::ChatsLayout;
use crate::pages::join::{JoinPage, ScanPage};
use crate::pages::staff::StaffUnavailable;
use crate::pages::{NotFoundPage, SignInPage, UnreachablePage, WelcomePage};
use crate::state::backend::{Boot, boot, provide_backend};
use crate::state::session::provide_session;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let started = use_load(boot);
    move || match started.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(boot)) => view! { <Ready boot=boot /> }.into_any(),
        Some(Err(error)) => {
            view! { <UnreachablePage error=error on_retry=move || started.refetch() /> }.into_any()
        }
    }
}

/// The app once its backend has answered: contexts, then routes.
#[component]
fn Ready(
    /// What the backend said at start.
    boot: Boot,
) -> impl IntoView {
    provide_backend(boot.meta);
    provide_session(boot.me);
    // FlatRoutes rather than nested routes: a third lighter in the wasm, and the first load is a
    // budget. The signed-in screens share the last route; `routes::screen` tells them apart. So does
    // `/confirm-child/<token>`, which a parent opens once from an e-mail (`routes::child_confirmation`).
    view! {
        <Router>
            <FlatRoutes fallback=NotFoundPage>
                <Route path=path!("/signin") view=SignInPage />
                <Route path=path!("/scan") view=ScanPage />
                <Route path=path!("/welcome") view=WelcomePage />
                <Route path=path!("/join/:key") view=JoinPage />
                // Reached only when the staff bundle's page could not be fetched (offline).
                <Route path=path!("/staff.html") view=StaffUnavailable />
                <Route path=path!("/*any") view=ChatsLayout />
            </FlatRoutes>
        </Router>
    }
}

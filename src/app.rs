//! The root component and every route of the app.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::Loading;
use crate::i18n::provide_i18n;
use crate::pages::chats::{ChatPage, ChatsLayout, NoChatSelected};
use crate::pages::{NotFoundPage, SignInPage, UnreachablePage, WelcomePage};
use crate::state::backend::{Boot, boot, provide_backend};
use crate::state::session::provide_session;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let started = LocalResource::new(boot);
    move || match started.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(boot)) => view! { <Ready boot=boot /> }.into_any(),
        Some(Err(error)) => view! { <UnreachablePage error=error on_retry=move || started.refetch() /> }.into_any(),
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
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/signin") view=SignInPage />
                <Route path=path!("/welcome") view=WelcomePage />
                <ParentRoute path=path!("/") view=ChatsLayout>
                    <Route path=path!("") view=NoChatSelected />
                    <Route path=path!("chats/:id") view=ChatPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

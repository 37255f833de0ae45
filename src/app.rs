//! The root component and every route of the app.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::chunks::{
    AdminRoute, ChatInfoRoute, ChatRoute, ConfirmChildRoute, InviteRoute, InvitesRoute, MyFilesRoute,
    NewChatRoute, NewInviteRoute, RequestsRoute, ScanRoute, SearchRoute, WelcomeRoute,
};
use crate::components::Loading;
use crate::first_screen;
use crate::hooks::use_load;
use crate::i18n::provide_i18n;
use crate::pages::chats::{NoChatSelected, SignedInGate};
use crate::pages::join::JoinPage;
use crate::pages::{NotFoundPage, SignInPage, UnreachablePage};
use crate::routes::AdminPage;
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
            first_screen::hand_over();
            view! { <UnreachablePage error=error on_retry=move || started.refetch() /> }.into_any()
        }
    }
}

/// The app once its backend has answered: contexts, then routes. Sign-in and an invite's landing page
/// are in the first load; every other screen is a chunk (`crate::chunks`), fetched when first opened.
#[component]
fn Ready(
    /// What the backend said at start.
    boot: Boot,
) -> impl IntoView {
    provide_backend(boot.meta);
    provide_session(boot.me);
    // An invite's landing page takes index.html's first screen over itself, once the invite is known;
    // every other screen is drawn at once.
    let path = window().location().pathname().unwrap_or_default();
    if !path.starts_with("/join/") {
        Effect::new(|_| first_screen::hand_over());
    }
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/signin") view=SignInPage />
                <Route path=path!("/join/:key") view=JoinPage />
                <Route path=path!("/scan") view={Lazy::<ScanRoute>::new()} />
                <Route path=path!("/welcome") view={Lazy::<WelcomeRoute>::new()} />
                <Route path=path!("/confirm-child/:token") view={Lazy::<ConfirmChildRoute>::new()} />
                // The signed-in layout stays while the person moves between these screens, and with it
                // the chat list and the live connection.
                <ParentRoute path=path!("") view=SignedInGate>
                    <Route path=path!("/") view=NoChatSelected />
                    <Route path=path!("/chats/:id") view={Lazy::<ChatRoute>::new()} />
                    <Route path=path!("/chats/:id/info") view={Lazy::<ChatInfoRoute>::new()} />
                    <Route path=path!("/files") view={Lazy::<MyFilesRoute>::new()} />
                    <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} />
                    <Route path=path!("/schools/:school/chats/new") view={Lazy::<NewChatRoute>::new()} />
                    <Route path=path!("/schools/:school/invites") view={Lazy::<InvitesRoute>::new()} />
                    <Route path=path!("/schools/:school/invites/new") view={Lazy::<NewInviteRoute>::new()} />
                    <Route path=path!("/invites/:id") view={Lazy::<InviteRoute>::new()} />
                    <Route path=path!("/schools/:school/requests") view={Lazy::<RequestsRoute>::new()} />
                    <Route path=path!("/schools/:school/admin") view={AdminRoute(|_| AdminPage::Overview)} />
                    <Route path=path!("/schools/:school/admin/info") view={AdminRoute(|_| AdminPage::Info)} />
                    <Route path=path!("/schools/:school/admin/classes") view={AdminRoute(|_| AdminPage::Classes)} />
                    <Route path=path!("/schools/:school/admin/people") view={AdminRoute(|_| AdminPage::People)} />
                    <Route path=path!("/schools/:school/admin/people/:person") view={AdminRoute(AdminPage::Person)} />
                    <Route path=path!("/schools/:school/admin/stats") view={AdminRoute(|_| AdminPage::Stats)} />
                    <Route path=path!("/schools/:school/admin/audit") view={AdminRoute(|_| AdminPage::Audit)} />
                    <Route path=path!("/schools/:school/admin/year-end") view={AdminRoute(|_| AdminPage::YearEnd)} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

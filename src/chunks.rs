//! The app's chunks: what a parent opening an invite link never needs is not in the first load, but in
//! wasm modules of their own, fetched when a screen first needs one — or earlier, when the browser is
//! idle after sign-in ([`prefetch`]), so that opening a chat never waits for one on a warm visit.
//!
//! How a chunk is made: each function below marked `#[wasm_split(name, …)]` is a split point. rustc
//! links the whole app as usual (with `--emit-relocs`, see `.cargo/config.toml`); then
//! `scripts/trunk-post-build.sh` runs `wasm-split-cli` on that wasm, which moves the functions of each
//! split point, and everything only they reach, into a module of that name; code that several split
//! points share goes into a module of its own, loaded with any of them. The main module keeps what it
//! reaches itself: the runtime, the router, translations, sign-in, the join landing. Calling a split
//! function fetches and instantiates its module first (once), hence `async`.
//!
//! Leptos's `#[lazy]` and `#[lazy_route]` are this same macro without `fallible`: a chunk that does not
//! arrive (a phone on a train) panics there, and with `panic = "abort"` the whole app stops. Here a
//! failed load is an error the screen shows, with a way to try again; the routes are `LazyRoute`s
//! written out by [`lazy_route!`].

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use leptos_router::{ChooseView, LazyRoute};
use wasm_split_helpers::{SplitLoaderError, wasm_split};

use crate::components::{EmptyState, Shell};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::pages::admin::AdminScreen;
use crate::pages::chats::{
    ChatInfoScreen, ChatView, MyFilesScreen, NewChatScreen, SearchScreen, SignedInLayout,
};
use crate::pages::invites::{InviteScreen, InvitesScreen, NewInviteScreen, RequestsScreen};
use crate::pages::join::{JoinStep, ScanPage};
use crate::pages::{ConfirmChildPage, WelcomePage};
use crate::routes::AdminPage;

/// A chunk that could not be fetched (no network, say).
pub struct ChunkMissing;

impl From<SplitLoaderError> for ChunkMissing {
    fn from(_: SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// What a split function draws, once its chunk is there.
type Drawn = Result<AnyView, ChunkMissing>;

/// The signed-in layout around every screen after sign-in: the schools, requests and chat list beside
/// the open screen, the chats' state and the outbox of unsent messages.
#[wasm_split(signed_in, fallible, preload(preload_signed_in))]
fn signed_in() -> Drawn {
    Ok(view! { <SignedInLayout /> }.into_any())
}

/// The signed-in layout, once its chunk is there (see `pages::chats::SignedInGate`).
pub async fn signed_in_layout() -> AnyView {
    drawn(signed_in().await, Frame::Page)
}

// A chat and everything around chats: its members and settings, «Новый чат», «Мои файлы», search.
#[wasm_split(chat, fallible, preload(preload_chat))]
fn chat() -> Drawn {
    Ok(by_id("id", |id| view! { <ChatView id=id /> }.into_any()))
}

#[wasm_split(chat, fallible, preload(preload_chat_info))]
fn chat_info() -> Drawn {
    Ok(by_id("id", |id| view! { <ChatInfoScreen id=id /> }.into_any()))
}

#[wasm_split(chat, fallible, preload(preload_new_chat))]
fn new_chat() -> Drawn {
    Ok(by_id("school", |school| view! { <NewChatScreen school_id=school /> }.into_any()))
}

#[wasm_split(chat, fallible, preload(preload_my_files))]
fn my_files() -> Drawn {
    Ok(view! { <MyFilesScreen /> }.into_any())
}

#[wasm_split(chat, fallible, preload(preload_search))]
fn search() -> Drawn {
    Ok(view! { <SearchScreen /> }.into_any())
}

// The staff's screens: invite links with their QR codes and print sheets, requests, and
// «Управление школой».
#[wasm_split(staff, fallible, preload(preload_invites))]
fn invites() -> Drawn {
    Ok(by_id("school", |school| view! { <InvitesScreen school_id=school /> }.into_any()))
}

#[wasm_split(staff, fallible, preload(preload_new_invite))]
fn new_invite() -> Drawn {
    Ok(by_id("school", |school| view! { <NewInviteScreen school_id=school /> }.into_any()))
}

#[wasm_split(staff, fallible, preload(preload_invite))]
fn invite() -> Drawn {
    Ok(by_id("id", |id| view! { <InviteScreen id=id /> }.into_any()))
}

#[wasm_split(staff, fallible, preload(preload_requests))]
fn requests() -> Drawn {
    Ok(by_id("school", |school| view! { <RequestsScreen school_id=school /> }.into_any()))
}

/// `page` makes the page from the id of the person in the path (0 without one).
#[wasm_split(staff, fallible, preload(preload_admin))]
fn admin(page: fn(i64) -> AdminPage) -> Drawn {
    let params = use_params_map();
    let school = Memo::new(move |_| params.with(|p| positive(p.get_str("school"))));
    // No person in the path: the page ignores it; a person that is no number: no such page.
    let person =
        Memo::new(move |_| params.with(|p| p.get_str("person").map_or(Some(0), |id| positive(Some(id)))));
    Ok((move || match (school.get(), person.get()) {
        (Some(school), Some(person)) => {
            view! { <AdminScreen school_id=school page=page(person) /> }.into_any()
        }
        _ => view! { <NotFound /> }.into_any(),
    })
    .into_any())
}

/// The steps of joining by an invite after sign-in, with the live connection a request waits on.
#[wasm_split(joining, fallible, preload(preload_joining))]
fn joining_step(step: JoinStep) -> Drawn {
    Ok(crate::pages::join::joining_step(step))
}

/// A step of joining (see `pages::join`), once its chunk is there.
pub async fn joining(step: JoinStep) -> AnyView {
    drawn(joining_step(step).await, Frame::Pane)
}

#[wasm_split(scan, fallible, preload(preload_scan))]
fn scan() -> Drawn {
    Ok(view! { <ScanPage /> }.into_any())
}

#[wasm_split(welcome, fallible, preload(preload_welcome))]
fn welcome() -> Drawn {
    Ok(view! { <WelcomePage /> }.into_any())
}

#[wasm_split(confirm_child, fallible, preload(preload_confirm_child))]
fn confirm_child() -> Drawn {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    Ok((move || view! { <ConfirmChildPage token=token.get() /> }).into_any())
}

/// A positive number from the path (an id), or `None`.
fn positive(segment: Option<&str>) -> Option<i64> {
    segment.and_then(|s| s.parse().ok()).filter(|id| *id > 0)
}

/// Draws `screen` for the id named `param` in the path, anew when it changes (the router keeps a
/// route's view from `/chats/1` to `/chats/2`); a path whose id is no number is not found.
fn by_id(param: &'static str, screen: fn(i64) -> AnyView) -> AnyView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| positive(p.get_str(param))));
    (move || match id.get() {
        Some(id) => screen(id),
        None => view! { <NotFound /> }.into_any(),
    })
    .into_any()
}

/// Where a screen is drawn: alone, or inside the signed-in layout, which has its own app bar.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Page,
    Pane,
}

/// The view of a chunk's screen, or why it is not there.
fn drawn(view: Drawn, frame: Frame) -> AnyView {
    view.unwrap_or_else(|ChunkMissing| match frame {
        Frame::Page => view! { <Shell brand_links_home=true><ChunkFailed /></Shell> }.into_any(),
        Frame::Pane => view! { <ChunkFailed /> }.into_any(),
    })
}

/// Routes to a chunk's screen: a `LazyRoute` whose view comes from `$screen`. The router fetches the
/// chunk (`preload`) before it leaves the screen being shown.
macro_rules! lazy_route {
    ($(#[$doc:meta])* $route:ident => $screen:ident, $preload:ident, $frame:expr) => {
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_: Self) -> AnyView {
                drawn($screen().await, $frame)
            }

            async fn preload() {
                // A failure is the view's to show: it tries once more.
                let _ = $preload().await;
            }
        }
    };
}

lazy_route!(
    /// `/chats/:id`: a chat's timeline and composer, polls, files, «Ознакомлен».
    ChatRoute => chat, preload_chat, Frame::Pane
);
lazy_route!(
    /// `/chats/:id/info`: a chat's members and settings.
    ChatInfoRoute => chat_info, preload_chat_info, Frame::Pane
);
lazy_route!(
    /// `/schools/:school/chats/new`: «Новый чат».
    NewChatRoute => new_chat, preload_new_chat, Frame::Pane
);
lazy_route!(
    /// `/files`: «Мои файлы».
    MyFilesRoute => my_files, preload_my_files, Frame::Pane
);
lazy_route!(
    /// `/search`: searching messages.
    SearchRoute => search, preload_search, Frame::Pane
);
lazy_route!(
    /// `/schools/:school/invites`: a school's invite links.
    InvitesRoute => invites, preload_invites, Frame::Pane
);
lazy_route!(
    /// `/schools/:school/invites/new`: a new invite link.
    NewInviteRoute => new_invite, preload_new_invite, Frame::Pane
);
lazy_route!(
    /// `/invites/:id`: one invite's link, QR code and print sheet.
    InviteRoute => invite, preload_invite, Frame::Pane
);
lazy_route!(
    /// `/schools/:school/requests`: join requests and teachers waiting for the «учитель» status.
    RequestsRoute => requests, preload_requests, Frame::Pane
);
lazy_route!(
    /// `/scan`: «Вступить по QR-коду» (camera, photo or typed code).
    ScanRoute => scan, preload_scan, Frame::Page
);
lazy_route!(
    /// `/welcome`: the first-time profile.
    WelcomeRoute => welcome, preload_welcome, Frame::Page
);
lazy_route!(
    /// `/confirm-child/:token`: a parent confirms a young student, from the link in an e-mail.
    ConfirmChildRoute => confirm_child, preload_confirm_child, Frame::Page
);

/// An administrator's page: `AdminRoute(|_| AdminPage::Info)`, or `AdminRoute(AdminPage::Person)` for
/// a path with the person's id. One chunk for all of them.
#[derive(Clone, Copy)]
pub struct AdminRoute(pub fn(i64) -> AdminPage);

impl ChooseView for AdminRoute {
    async fn choose(self) -> AnyView {
        drawn(admin(self.0).await, Frame::Pane)
    }

    async fn preload(&self) {
        let _ = preload_admin().await;
    }
}

/// A screen whose chunk did not arrive: the person may try again once the network is back.
#[component]
fn ChunkFailed() -> impl IntoView {
    let i18n = use_i18n();
    let retry = move |_| {
        // Loads the chunk again, and with it everything else the screen needs.
        let _ = window().location().reload();
    };
    move || {
        let t = i18n.t();
        view! {
            <div class="page-center">
                <div class="card">
                    <h1>{t.chunk_failed_title}</h1>
                    <EmptyState symbol="📡" title=t.unreachable_title text=t.chunk_failed_text>
                        <button type="button" class="button button--primary" on:click=retry>{t.action_retry}</button>
                    </EmptyState>
                </div>
            </div>
        }
    }
}

/// Fetches the chunks a signed-in person may open, one after another, once the browser is idle (a
/// second after, in browsers without `requestIdleCallback`); the staff's only for `staff` (a teacher
/// or an administrator somewhere), a parent's phone has no use for them. Once per page load.
pub fn prefetch(staff: bool) {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if STARTED.swap(true, Ordering::Relaxed) {
        return;
    }
    when_idle(move || async move {
        // The likeliest first. A failure is left for the screen itself to retry.
        let _ = preload_signed_in().await;
        let _ = preload_chat().await;
        if staff {
            let _ = preload_admin().await;
        }
        let _ = preload_scan().await;
    });
}

/// While the person waits for their sign-in code: what comes right after it, the first-time profile
/// and, for someone joining by an invite, the steps of joining.
pub fn prefetch_for_sign_in(joining: bool) {
    when_idle(move || async move {
        let _ = preload_welcome().await;
        if joining {
            let _ = preload_joining().await;
        }
    });
}

fn when_idle<F: Future<Output = ()> + 'static>(load: impl Fn() -> F + Copy + 'static) {
    let start = move || spawn_local(load());
    if request_idle_callback_with_handle(start).is_err() {
        set_timeout(start, std::time::Duration::from_secs(1));
    }
}

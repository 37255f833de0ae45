use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use web_sys::{AbortController, AbortSignal, RequestCredentials};

use crate::error::AppError;

static API_BASE: OnceLock<String> = OnceLock::new();

thread_local! {
    static ON_SIGNED_OUT: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Called whenever the backend answers `unauthenticated`: the session ended (expired, or signed out
/// on another tab), and the app should return to sign-in rather than show an error.
pub fn on_signed_out(callback: impl Fn() + 'static) {
    ON_SIGNED_OUT.with(|slot| *slot.borrow_mut() = Some(Rc::new(callback)));
}

/// Sets the backend's origin (empty for the app's own) once, from the run-time configuration.
pub fn set_api_base(base: &str) {
    let _ = API_BASE.set(normalize_api_base(base).to_string());
}

/// The backend's origin once set: this page load has asked it before (a retry asks it again).
pub fn api_base_set() -> Option<&'static str> {
    API_BASE.get().map(String::as_str)
}

/// An origin as [`set_api_base`] keeps it, for comparing.
pub fn normalize_api_base(base: &str) -> &str {
    base.trim_end_matches('/')
}

pub(super) fn api_base() -> &'static str {
    API_BASE.get().map(String::as_str).unwrap_or("")
}

pub(super) fn url(path: &str) -> String {
    url_at(api_base(), path)
}

fn url_at(base: &str, path: &str) -> String {
    format!("{}{}{}", normalize_api_base(base), contract::API_PREFIX, path)
}

/// An abort signal that fires when the reactive scope asking for data goes away (the person left
/// the page), so a slow answer is not waited for and not applied to a screen that is gone.
pub fn abort_on_cleanup() -> Option<AbortSignal> {
    let controller = AbortController::new().ok()?;
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    Some(signal)
}

fn prepare(builder: RequestBuilder, signal: Option<&AbortSignal>) -> RequestBuilder {
    // `include` so that a backend on another origin (configured at run time) still gets the cookie.
    builder.credentials(RequestCredentials::Include).header("accept", "application/json").abort_signal(signal)
}

/// Sends a request and reads the whole answer. Not generic: every endpoint shares this one state
/// machine, and only [`parse`] is built per answer type (the first load is a budget).
async fn exchange(request: Result<Request, gloo_net::Error>) -> Result<String, AppError> {
    let response = request.map_err(|_| AppError::Network)?.send().await.map_err(|_| AppError::Network)?;
    let status = response.status();
    // An answer cut off mid-way is as good as none.
    let body = response.text().await.map_err(|_| AppError::Network)?;
    if response.ok() {
        return Ok(body);
    }
    Err(refusal(status, &body))
}

/// What a backend's answer that is not a success means (and the end of the session, if it says so).
pub(super) fn refusal(status: u16, body: &str) -> AppError {
    match serde_json::from_str::<contract::ApiError>(body) {
        Ok(error) => {
            if error.code == contract::ErrorCode::Unauthenticated
                && let Some(callback) = ON_SIGNED_OUT.with(|slot| slot.borrow().clone())
            {
                callback();
            }
            AppError::Api { status, error }
        }
        Err(_) => AppError::Unexpected { status },
    }
}

fn parse<T: DeserializeOwned>(body: Result<String, AppError>) -> Result<T, AppError> {
    // A success that is not the contract (a proxy's page, say): status 200 as far as anyone knows.
    serde_json::from_str(&body?).map_err(|_| AppError::Unexpected { status: 200 })
}

pub(super) async fn get<T: DeserializeOwned>(
    path: &str,
    signal: Option<&AbortSignal>,
) -> Result<T, AppError> {
    get_at(api_base(), path, signal).await
}

/// A `GET` of the backend at `base`: at start, before the app has settled on its backend.
pub(super) async fn get_at<T: DeserializeOwned>(
    base: &str,
    path: &str,
    signal: Option<&AbortSignal>,
) -> Result<T, AppError> {
    parse(exchange(prepare(Request::get(&url_at(base, path)), signal).build()).await)
}

/// Builds a state-changing request: it carries the CSRF header the contract requires.
fn mutation(builder: RequestBuilder) -> RequestBuilder {
    prepare(builder, None).header(contract::CSRF_HEADER, "1")
}

/// The body as JSON, serialised before anything async so that the future is not generic.
fn body<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

pub(super) async fn post<B: Serialize, T: DeserializeOwned>(path: &str, payload: &B) -> Result<T, AppError> {
    let request = body(mutation(Request::post(&url(path))), payload);
    parse(exchange(request).await)
}

pub(super) async fn put<B: Serialize, T: DeserializeOwned>(path: &str, payload: &B) -> Result<T, AppError> {
    let request = body(mutation(Request::put(&url(path))), payload);
    parse(exchange(request).await)
}

pub(super) async fn patch<B: Serialize, T: DeserializeOwned>(path: &str, payload: &B) -> Result<T, AppError> {
    let request = body(mutation(Request::patch(&url(path))), payload);
    parse(exchange(request).await)
}

/// A `POST` whose success has no body (204).
pub(super) async fn post_empty<B: Serialize>(path: &str, payload: &B) -> Result<(), AppError> {
    exchange(body(mutation(Request::post(&url(path))), payload)).await.map(drop)
}

/// A `PUT` without a body that answers with `T`.
pub(super) async fn put_empty<T: DeserializeOwned>(path: &str) -> Result<T, AppError> {
    parse(exchange(mutation(Request::put(&url(path))).build()).await)
}

/// A request whose success has no body (204).
pub(super) async fn delete(path: &str) -> Result<(), AppError> {
    exchange(mutation(Request::delete(&url(path))).build()).await.map(drop)
}

/// A `DELETE` that answers with what remains (a deleted message's placeholder, say).
pub(super) async fn delete_for<T: DeserializeOwned>(path: &str) -> Result<T, AppError> {
    parse(exchange(mutation(Request::delete(&url(path))).build()).await)
}

/// A `PUT` without a body whose answer the caller does not need.
pub(super) async fn put_no_content(path: &str) -> Result<(), AppError> {
    exchange(mutation(Request::put(&url(path))).build()).await.map(drop)
}

/// A `PATCH` whose answer the caller does not need (it reloads what changed).
pub(super) async fn patch_no_content<B: Serialize>(path: &str, payload: &B) -> Result<(), AppError> {
    exchange(body(mutation(Request::patch(&url(path))), payload)).await.map(drop)
}

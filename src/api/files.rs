//! Files: uploads with progress and cancel (an `XMLHttpRequest`: `fetch` cannot report how much of a
//! body was sent), and «Мои файлы».

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use contract::{FileInfo, MyFiles};
use futures::channel::oneshot;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use super::http::{abort_on_cleanup, delete, get, refusal, url};
use crate::error::AppError;

/// How an upload ended.
#[derive(Clone, Debug)]
pub enum Uploaded {
    Done(FileInfo),
    Failed(AppError),
    /// The person cancelled it.
    Cancelled,
}

/// An upload under way: [`Upload::cancel`] stops it.
#[derive(Clone)]
pub struct Upload {
    request: XmlHttpRequest,
}

impl Upload {
    pub fn cancel(&self) {
        let _ = self.request.abort();
    }
}

/// How an upload ends, awaited apart from its handle.
pub type UploadOutcome = Pin<Box<dyn Future<Output = Uploaded>>>;

/// Sends `file` (into «Мои файлы» when `keep`), calling `progress(sent, total)` as it goes. Returns the
/// handle at once and the outcome when it ends.
pub fn upload(
    file: &File,
    keep: bool,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<(Upload, UploadOutcome), AppError> {
    let request = XmlHttpRequest::new().map_err(|_| AppError::Network)?;
    let path = if keep { "/files?keep=true" } else { "/files" };
    request.open("POST", &url(path)).map_err(|_| AppError::Network)?;
    // A backend on another origin (configured at run time) still gets the session cookie.
    request.set_with_credentials(true);
    let kind = file.type_();
    let kind = if kind.is_empty() { "application/octet-stream".to_string() } else { kind };
    let name = String::from(js_sys::encode_uri_component(&file.name()));
    for (header, value) in [
        ("content-type", kind.as_str()),
        ("x-file-name", name.as_str()),
        ("accept", "application/json"),
        (contract::CSRF_HEADER, "1"),
    ] {
        request.set_request_header(header, value).map_err(|_| AppError::Network)?;
    }

    let (sender, receiver) = oneshot::channel::<Uploaded>();
    let sender = Rc::new(RefCell::new(Some(sender)));
    let finish = {
        let sender = Rc::clone(&sender);
        move |outcome: Uploaded| {
            if let Some(sender) = sender.borrow_mut().take() {
                let _ = sender.send(outcome);
            }
        }
    };
    let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
        if event.length_computable() {
            progress(event.loaded(), event.total());
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let on_load = {
        let request = request.clone();
        let finish = finish.clone();
        Closure::<dyn Fn()>::new(move || {
            let status = request.status().unwrap_or(0);
            let body = request.response_text().ok().flatten().unwrap_or_default();
            finish(if (200..300).contains(&status) {
                match serde_json::from_str::<FileInfo>(&body) {
                    Ok(info) => Uploaded::Done(info),
                    Err(_) => Uploaded::Failed(AppError::Unexpected { status }),
                }
            } else {
                Uploaded::Failed(refusal(status, &body))
            });
        })
    };
    let on_error = {
        let finish = finish.clone();
        Closure::<dyn Fn()>::new(move || finish(Uploaded::Failed(AppError::Network)))
    };
    let on_abort = Closure::<dyn Fn()>::new(move || finish(Uploaded::Cancelled));
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    request.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    request.send_with_opt_blob(Some(file)).map_err(|_| AppError::Network)?;

    let outcome = async move {
        let outcome = receiver.await.unwrap_or(Uploaded::Cancelled);
        // The handlers live until the request has ended.
        drop((on_progress, on_load, on_error, on_abort));
        outcome
    };
    // Boxed: the answer must not borrow `file`, which the caller is done with.
    Ok((Upload { request }, Box::pin(outcome)))
}

pub fn my_files() -> impl Future<Output = Result<MyFiles, AppError>> {
    let signal = abort_on_cleanup();
    async move { get("/me/files", signal.as_ref()).await }
}

/// Takes a file out of «Мои файлы» (messages that carry it keep it).
pub async fn delete_my_file(id: i64) -> Result<(), AppError> {
    delete(&format!("/me/files/{id}")).await
}

/// Where a file of the contract is downloaded: its path under the backend's origin.
pub fn file_url(path: &str) -> String {
    format!("{}{}", super::http::api_base(), path)
}

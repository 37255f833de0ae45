//! Files in chats: what a message carries (pictures shown, other files downloaded with their names),
//! and the composer's attachments — chosen, dropped or pasted, uploaded at once with progress and a
//! way to cancel, checked here first so that a wrong file is refused before a byte is sent.

use contract::{ALLOWED_EXTENSIONS, FILE_MAX_BYTES, FileInfo, MESSAGE_MAX_ATTACHMENTS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;
use web_sys::File;

use crate::api::{self, Upload, Uploaded, file_url};
use crate::format::file_size;
use crate::i18n::{Strings, fill, use_i18n};

/// The files of a sent message.
#[component]
pub fn MessageFiles(files: Vec<FileInfo>) -> impl IntoView {
    let class = style! {
        .files {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            margin-top: var(--space-1);
        }
        .pictures {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
        .picture {
            display: block;
            border-radius: var(--radius-s);
            overflow: hidden;
            background: var(--surface-sunken);
        }
        img {
            display: block;
            max-width: min(100%, 20rem);
            max-height: 20rem;
            width: auto;
            height: auto;
        }
        .file {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-height: 2.75rem;
            padding: var(--space-1) var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            color: var(--text);
            text-decoration: none;
            overflow-wrap: anywhere;
        }
        .file:hover {
            background: var(--surface-hover);
        }
        .size {
            color: var(--text-muted);
            font-size: 0.8125rem;
            white-space: nowrap;
        }
    };
    let i18n = use_i18n();
    let (pictures, others): (Vec<FileInfo>, Vec<FileInfo>) = files.into_iter().partition(|f| f.is_image);
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let pictures = pictures
            .iter()
            .map(|file| {
                let thumb = file_url(file.thumbnail_url.as_deref().unwrap_or(&file.url));
                let label = fill(t.open_picture, &[("name", &file.name)]);
                view! { class=class,
                    <a class="picture" href=file_url(&file.url) target="_blank" rel="noopener" aria-label=label>
                        <img src=thumb alt=file.name.clone() width=file.width height=file.height loading="lazy" decoding="async" />
                    </a>
                }
            })
            .collect_view();
        let others = others
            .iter()
            .map(|file| {
                let label =
                    fill(t.download_file, &[("name", &file.name), ("size", &file_size(file.size, lang))]);
                view! { class=class,
                    <a class="file" href=file_url(&file.url) download=file.name.clone() aria-label=label>
                        <span aria-hidden="true">"📄"</span>
                        <span>{file.name.clone()}</span>
                        <span class="size">{file_size(file.size, lang)}</span>
                    </a>
                }
            })
            .collect_view();
        view! { class=class, <div class="files"><div class="pictures">{pictures}</div>{others}</div> }
    }
}

/// Why a file is refused before uploading, if it is.
pub fn refusal(name: &str, size: f64, t: &Strings) -> Option<String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !ALLOWED_EXTENSIONS.contains(&extension.as_str()) {
        return Some(fill(t.file_type_refused, &[("name", name)]));
    }
    if size > FILE_MAX_BYTES as f64 {
        return Some(fill(
            t.file_too_large_named,
            &[("name", name), ("max", &(FILE_MAX_BYTES / 1024 / 1024).to_string())],
        ));
    }
    None
}

/// `accept` of the file input: every extension Parta takes.
pub fn accept() -> String {
    ALLOWED_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(",")
}

/// One file of the composer, from choosing it to sending it.
#[derive(Clone, Copy)]
pub struct Attachment {
    pub key: u32,
    pub name: StoredValue<String>,
    /// Sent so far, 0–1.
    pub progress: RwSignal<f64>,
    /// `None` while uploading; the file, or why it failed.
    pub outcome: RwSignal<Option<Result<FileInfo, String>>>,
    upload: StoredValue<Option<Upload>, LocalStorage>,
}

impl Attachment {
    pub fn uploading(&self) -> bool {
        self.outcome.with(Option::is_none)
    }

    pub fn file(&self) -> Option<FileInfo> {
        self.outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }

    /// Stops the upload, if it is still going.
    pub fn cancel(&self) {
        if let Some(upload) = self.upload.try_get_value().flatten() {
            upload.cancel();
        }
    }
}

/// The composer's attachments.
#[derive(Clone, Copy)]
pub struct Attachments {
    /// The composer's: files are added from handlers of views that get redrawn, whose owners would
    /// dispose the files' signals with them.
    owner: StoredValue<Option<Owner>>,
    pub list: RwSignal<Vec<Attachment>>,
    next_key: StoredValue<u32>,
    /// A file refused before uploading (its name and why).
    pub refused: RwSignal<Option<String>>,
}

impl Attachments {
    pub fn new() -> Self {
        Attachments {
            owner: StoredValue::new(Owner::current()),
            list: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            refused: RwSignal::new(None),
        }
    }

    pub fn uploading(&self) -> bool {
        self.list.with(|list| list.iter().any(Attachment::uploading))
    }

    /// The uploaded files, in the order they were added.
    pub fn files(&self) -> Vec<FileInfo> {
        self.list.with_untracked(|list| list.iter().filter_map(Attachment::file).collect())
    }

    pub fn clear(&self) {
        self.list.set(Vec::new());
        self.refused.set(None);
    }

    pub fn remove(&self, key: u32) {
        self.list.update(|list| {
            if let Some(index) = list.iter().position(|a| a.key == key) {
                list.remove(index).cancel();
            }
        });
    }

    fn push(&self, name: String, outcome: Option<Result<FileInfo, String>>) -> Attachment {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let make = move || Attachment {
            key,
            name: StoredValue::new(name),
            progress: RwSignal::new(if outcome.is_some() { 1.0 } else { 0.0 }),
            outcome: RwSignal::new(outcome),
            upload: StoredValue::new_local(None),
        };
        let attachment = match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        };
        self.list.update(|list| list.push(attachment));
        attachment
    }

    /// A file already on the server («Мои файлы»).
    pub fn add_stored(&self, file: FileInfo) {
        if self.list.with_untracked(|list| list.iter().any(|a| a.file().is_some_and(|f| f.id == file.id))) {
            return;
        }
        self.push(file.name.clone(), Some(Ok(file)));
    }

    /// Checks and starts uploading the files the person chose, dropped or pasted.
    pub fn add(&self, files: Vec<File>, t: &'static Strings) {
        for file in files {
            if self.list.with_untracked(Vec::len) >= MESSAGE_MAX_ATTACHMENTS {
                self.refused
                    .set(Some(fill(t.too_many_files, &[("n", &MESSAGE_MAX_ATTACHMENTS.to_string())])));
                return;
            }
            let name = file.name();
            if let Some(why) = refusal(&name, file.size(), t) {
                self.refused.set(Some(why));
                continue;
            }
            self.refused.set(None);
            let attachment = self.push(name, None);
            let attachments = *self;
            spawn_local(async move {
                let file = without_metadata(file).await;
                // Removed while its photo was being prepared.
                if attachment.outcome.try_get_untracked().is_none()
                    || !attachments.list.with_untracked(|l| l.iter().any(|a| a.key == attachment.key))
                {
                    return;
                }
                let progress = attachment.progress;
                let outcome = match api::upload(&file, false, move |sent, total| {
                    let _ = progress.try_set(if total > 0.0 { sent / total } else { 0.0 });
                }) {
                    Ok((upload, outcome)) => {
                        let _ = attachment.upload.try_set_value(Some(upload));
                        outcome.await
                    }
                    Err(error) => Uploaded::Failed(error),
                };
                match outcome {
                    Uploaded::Done(file) => {
                        let _ = attachment.outcome.try_set(Some(Ok(file)));
                    }
                    Uploaded::Failed(error) => {
                        let _ = attachment.outcome.try_set(Some(Err(error.message(t))));
                    }
                    Uploaded::Cancelled => attachments.remove(attachment.key),
                }
            });
        }
    }
}

/// Longest side of a photo as sent, in pixels: plenty for a screen, a fraction of a phone camera's.
const PHOTO_MAX_SIDE: f64 = 2560.0;

/// A phone's JPEG photo drawn again without its metadata — above all the GPS position a camera writes,
/// which would tell a whole class where a child lives — and no larger than [`PHOTO_MAX_SIDE`], which
/// also spares a parent's mobile data. The browser applies the photo's rotation when it decodes it.
/// Anything else, or a photo the browser cannot redraw, is sent as it is. Every upload goes through
/// it: the composer's attachments and «Мои файлы» alike.
pub(super) async fn without_metadata(file: File) -> File {
    use wasm_bindgen::JsCast;
    let lower = file.name().to_ascii_lowercase();
    if !(lower.ends_with(".jpg") || lower.ends_with(".jpeg")) {
        return file;
    }
    let redrawn = async {
        let promise = window().create_image_bitmap_with_blob(&file).ok()?;
        let bitmap: web_sys::ImageBitmap =
            wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
        let scale = (PHOTO_MAX_SIDE / width.max(height)).min(1.0);
        let (width, height) = ((width * scale).round(), (height * scale).round());
        let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(width as u32);
        canvas.set_height(height as u32);
        let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, width, height).ok()?;
        bitmap.close();
        let blob = js_sys::Promise::new(&mut |resolve, _reject| {
            let done = wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
            let _ = canvas.to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &0.85.into(),
            );
        });
        let blob: web_sys::Blob = wasm_bindgen_futures::JsFuture::from(blob).await.ok()?.dyn_into().ok()?;
        let options = web_sys::FilePropertyBag::new();
        options.set_type("image/jpeg");
        File::new_with_blob_sequence_and_options(&js_sys::Array::of1(&blob), &file.name(), &options).ok()
    };
    redrawn.await.unwrap_or(file)
}

/// The composer's attachments as chips: name, progress, and ✕ to cancel or remove.
#[component]
pub fn AttachmentChips(attachments: Attachments) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            margin: 0 auto var(--space-2);
            padding: 0;
            max-width: 48rem;
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            max-width: 100%;
            padding: var(--space-1) var(--space-1) var(--space-1) var(--space-3);
            border: 1px solid var(--border);
            border-radius: 999px;
            background: var(--background);
            font-size: 0.875rem;
        }
        li.failed {
            border-color: var(--danger);
        }
        .name {
            overflow: hidden;
            text-overflow: ellipsis;
            white-space: nowrap;
            max-width: 14rem;
        }
        progress {
            width: 4rem;
        }
        .error {
            color: var(--danger);
        }
        button {
            flex: none;
            width: 2.25rem;
            height: 2.25rem;
            border: none;
            border-radius: 50%;
            background: transparent;
            color: var(--text-muted);
            cursor: pointer;
        }
        button:hover {
            background: var(--surface-hover);
        }
        .refused {
            margin: 0 auto var(--space-2);
            max-width: 48rem;
            color: var(--danger);
            font-size: 0.875rem;
        }
    };
    let i18n = use_i18n();
    view! { class=class,
        {move || attachments.refused.get().map(|why| view! { class=class, <p class="refused" role="alert">{why}</p> })}
        {move || (!attachments.list.with(Vec::is_empty)).then(|| view! { class=class,
            <ul aria-label=move || i18n.t().attachments_label>
                // Redrawn only when a file is added or removed (progress lives in its own signal); a
                // keyed `For` would add its own copy of the keyed diffing to the wasm.
                {move || attachments.list.get().into_iter().map(|attachment| {
                    {
                        let name = attachment.name.get_value();
                        let remove_label = {
                            let name = name.clone();
                            move || {
                                let t = i18n.t();
                                let template = if attachment.uploading() { t.cancel_upload } else { t.remove_attachment };
                                fill(template, &[("name", &name)])
                            }
                        };
                        view! { class=class,
                            <li class:failed=move || attachment.outcome.with(|o| matches!(o, Some(Err(_))))>
                                <span class="name">{name.clone()}</span>
                                {move || match attachment.outcome.get() {
                                    None => view! { class=class,
                                        <progress max="1" value=move || attachment.progress.get()
                                            aria-label=move || fill(i18n.t().uploading_file, &[("name", &attachment.name.get_value())])></progress>
                                    }.into_any(),
                                    Some(Err(why)) => view! { class=class, <span class="error" role="alert">{why}</span> }.into_any(),
                                    Some(Ok(_)) => ().into_any(),
                                }}
                                <button type="button" aria-label=remove_label on:click=move |_| attachments.remove(attachment.key)>"✕"</button>
                            </li>
                        }
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_parta_does_not_take_are_refused_by_name_and_size() {
        let t = &crate::i18n::RU;
        assert!(refusal("Расписание.PDF", 1000.0, t).is_none());
        assert!(refusal("фото.jpeg", 5.0 * 1024.0 * 1024.0, t).is_none());
        assert!(refusal("virus.exe", 10.0, t).is_some());
        assert!(refusal("page.html", 10.0, t).is_some());
        assert!(refusal("no-extension", 10.0, t).is_some());
        assert!(refusal("big.pdf", FILE_MAX_BYTES as f64 + 1.0, t).is_some());
    }
}

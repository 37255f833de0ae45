//! «Мои файлы»: a person's own storage — upload (with progress), list, download, delete, and send a
//! stored file to a chat from the composer.

use contract::{FileInfo, MyFiles, STORAGE_MAX_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use stylers_macro::style;

use super::attachments::{Attachments, accept, refusal, without_metadata};
use super::composer::file_list;
use crate::api::{self, Uploaded, file_url};
use crate::components::{EmptyState, ErrorNotice, Loading};
use crate::error::AppError;
use crate::format::{file_size, full_date_time};
use crate::hooks::{Load, use_load, use_page_title};
use crate::i18n::{fill, use_i18n};

#[component]
pub fn MyFilesScreen() -> impl IntoView {
    let class = style! {
        .head {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-3);
        }
        .lead {
            margin: 0 0 var(--space-4);
            color: var(--text-muted);
        }
        .used {
            margin: 0 0 var(--space-2);
            font-size: 0.9375rem;
        }
        meter {
            width: 100%;
            max-width: 24rem;
            height: 0.75rem;
        }
        .upload-label {
            cursor: pointer;
        }
        .uploads {
            list-style: none;
            margin: var(--space-3) 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        .uploads li {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
        .error {
            color: var(--danger);
            font-weight: 600;
        }
    };
    let i18n = use_i18n();
    use_page_title(move || i18n.t().my_files_title.to_string());
    let files = use_load(api::my_files);
    // Uploads under way: name, progress 0–1, and why one failed.
    let uploads = RwSignal::new(Vec::<(u32, String, RwSignal<f64>, RwSignal<Option<String>>)>::new());
    let next_key = StoredValue::new(0u32);
    let on_choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let t = i18n.t_untracked();
        for file in file_list(input.files()) {
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let progress = RwSignal::new(0.0);
            let failure = RwSignal::new(refusal(&file.name(), file.size(), t));
            uploads.update(|list| list.push((key, file.name(), progress, failure)));
            if failure.get_untracked().is_some() {
                continue;
            }
            spawn_local(async move {
                let file = without_metadata(file).await;
                let outcome = match api::upload(&file, true, move |sent, total| {
                    let _ = progress.try_set(if total > 0.0 { sent / total } else { 0.0 });
                }) {
                    Ok((_, outcome)) => outcome.await,
                    Err(error) => Uploaded::Failed(error),
                };
                match outcome {
                    Uploaded::Done(_) => {
                        let _ = uploads.try_update(|list| list.retain(|(k, ..)| *k != key));
                        files.refetch();
                    }
                    Uploaded::Failed(error) => {
                        let _ = failure.try_set(Some(format!("{}: {}", file.name(), error.message(t))));
                    }
                    Uploaded::Cancelled => {
                        let _ = uploads.try_update(|list| list.retain(|(k, ..)| *k != key));
                    }
                }
            });
        }
        input.set_value("");
    };
    view! { class=class,
        <section class="screen" aria-labelledby="my-files-heading">
            <div class="head">
                <h1 id="my-files-heading">{move || i18n.t().my_files_title}</h1>
                <label class="button upload-label" for="my-files-input">{move || i18n.t().my_files_upload}</label>
                <input id="my-files-input" class="visually-hidden" type="file" multiple accept=accept() on:change=on_choose />
            </div>
            <p class="lead">{move || i18n.t().my_files_lead}</p>
            {move || files.with(|answer| answer.and_then(|a| a.as_ref().ok()).map(|mine| mine.used_bytes)).map(|used| {
                let t = i18n.t();
                let lang = i18n.lang();
                let text = fill(t.my_files_used, &[("used", &file_size(used, lang)), ("max", &file_size(STORAGE_MAX_BYTES, lang))]);
                view! { class=class,
                    <p class="used" id="my-files-used">{text}</p>
                    <meter min="0" max=STORAGE_MAX_BYTES.to_string() value=used.to_string() aria-labelledby="my-files-used"></meter>
                }
            })}
            <ul class="uploads" aria-live="polite">
                // Not a keyed `For`: each one adds its own copy of the keyed diffing to the wasm, and
                // these rows hold nothing a redraw could lose.
                {move || uploads.get().into_iter().map(|upload| {
                    {
                        let (_, name, progress, failure) = upload;
                        view! { class=class,
                            <li>
                                <span>{name.clone()}</span>
                                {move || match failure.get() {
                                    Some(why) => view! { class=class, <span class="error" role="alert">{why}</span> }.into_any(),
                                    None => view! {
                                        <progress max="1" value=move || progress.get()
                                            aria-label=fill(i18n.t().uploading_file, &[("name", &name)])></progress>
                                    }.into_any(),
                                }}
                            </li>
                        }
                    }
                }).collect_view()}
            </ul>
            {move || match files.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || files.refetch() /> }.into_any(),
                Some(Ok(MyFiles { files: list, .. })) if list.is_empty() => {
                    let t = i18n.t();
                    view! { <EmptyState symbol="📁" title=t.my_files_empty_title text=t.my_files_empty_text /> }.into_any()
                }
                Some(Ok(MyFiles { files: list, .. })) => view! { <FileTable files=list load=files /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn FileTable(files: Vec<FileInfo>, load: Load<MyFiles>) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--border);
            border-radius: var(--radius-s);
            background: var(--surface);
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-2) var(--space-3);
            min-height: 3.5rem;
        }
        li + li {
            border-top: 1px solid var(--border);
        }
        .what {
            flex: 1;
            min-width: 0;
            display: flex;
            flex-direction: column;
        }
        .what a {
            overflow-wrap: anywhere;
        }
        .about {
            color: var(--text-muted);
            font-size: 0.875rem;
        }
    };
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<AppError>);
    let delete = move |file: FileInfo| {
        let t = i18n.t_untracked();
        if !window()
            .confirm_with_message(&fill(t.my_files_delete_confirm, &[("name", &file.name)]))
            .unwrap_or(false)
        {
            return;
        }
        spawn_local(async move {
            match api::delete_my_file(file.id).await {
                Ok(()) => load.refetch(),
                Err(error) => {
                    let _ = failure.try_set(Some(error));
                }
            }
        });
    };
    move || {
        let t = i18n.t();
        let lang = i18n.lang();
        let rows = files
            .iter()
            .map(|file| {
                let about =
                    format!("{} · {}", file_size(file.size, lang), full_date_time(&file.created_at, lang));
                let target = file.clone();
                view! { class=class,
                    <li>
                        <span aria-hidden="true">{if file.is_image { "🖼" } else { "📄" }}</span>
                        <span class="what">
                            <a href=file_url(&file.url) download=file.name.clone()>{file.name.clone()}</a>
                            <span class="about">{about}</span>
                        </span>
                        <button type="button" class="button button--ghost"
                            aria-label=fill(t.my_files_delete, &[("name", &file.name)])
                            on:click=move |_| delete(target.clone())>"🗑"</button>
                    </li>
                }
            })
            .collect_view();
        view! { class=class,
            {move || failure.get().map(|error| view! { <ErrorNotice error=error /> })}
            <ul>{rows}</ul>
        }
    }
}

/// In the composer: pick files from «Мои файлы» to send.
#[component]
pub fn MyFilesPicker(attachments: Attachments, on_done: Callback<()>) -> impl IntoView {
    let class = style! {
        .picker {
            margin: 0 auto var(--space-2);
            max-width: 48rem;
            max-height: 40dvh;
            overflow-y: auto;
            padding: var(--space-2);
            border: 1px solid var(--border);
            border-radius: var(--radius);
            background: var(--surface);
        }
        h2 {
            margin: 0 0 var(--space-2);
            font-size: 1rem;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        button {
            display: flex;
            gap: var(--space-2);
            align-items: center;
            width: 100%;
            min-height: 2.75rem;
            padding: var(--space-1) var(--space-2);
            border: 0;
            border-radius: var(--radius-s);
            background: none;
            color: var(--text);
            font: inherit;
            text-align: left;
            cursor: pointer;
        }
        button:hover {
            background: var(--surface-hover);
        }
        .size {
            margin-left: auto;
            color: var(--text-muted);
            font-size: 0.8125rem;
        }
    };
    let i18n = use_i18n();
    let files = use_load(api::my_files);
    view! { class=class,
        <div class="picker" role="region" aria-labelledby="picker-heading">
            <h2 id="picker-heading">{move || i18n.t().my_files_pick_title}</h2>
            {move || match files.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error=error on_retry=move || files.refetch() /> }.into_any(),
                Some(Ok(mine)) if mine.files.is_empty() => {
                    view! { <p>{i18n.t().my_files_empty_title}</p> }.into_any()
                }
                Some(Ok(mine)) => {
                    let lang = i18n.lang();
                    let rows = mine
                        .files
                        .into_iter()
                        .map(|file| {
                            let size = file_size(file.size, lang);
                            let name = file.name.clone();
                            view! { class=class,
                                <li>
                                    <button type="button" on:click=move |_| {
                                        attachments.add_stored(file.clone());
                                        on_done.run(());
                                    }>
                                        <span aria-hidden="true">"📄"</span>
                                        <span>{name}</span>
                                        <span class="size">{size}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    view! { class=class, <ul>{rows}</ul> }.into_any()
                }
            }}
        </div>
    }
}

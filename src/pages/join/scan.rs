//! `/scan`, «Вступить по QR-коду»: the camera, a photo of the code, or the code typed from the printed
//! sheet. Only an invite of this very app is followed; any other code is shown as text, never opened.
//! Works signed out and signed in.

use contract::InviteKey;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use crate::components::{Shell, TextField};
use crate::hooks::{CameraState, DecodeError, use_camera_qr, use_page_title, use_qr_decoder};
use crate::i18n::use_i18n;
use crate::routes;
use crate::state::session::use_session;

/// The invite a scanned or typed text leads to: a link to `/join/<key>` on this app's own `origin`, or
/// a bare key (a short code read off a sheet). Anything else, a link elsewhere above all, is not one.
pub fn invite_key(text: &str, origin: &str) -> Option<InviteKey> {
    let text = text.trim();
    let ours = !origin.is_empty()
        && text.get(..origin.len()).is_some_and(|start| start.eq_ignore_ascii_case(origin));
    if !ours {
        return InviteKey::parse(text);
    }
    let path = text[origin.len()..].split(['?', '#']).next().unwrap_or_default();
    let key = path.strip_prefix(&routes::join(""))?;
    let key = key.strip_suffix('/').unwrap_or(key);
    // Exactly what the app puts in a link: `parse` alone would also take "K7QM 4XPD" with a space.
    InviteKey::parse(key).filter(|_| key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// How reading a photo went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PhotoState {
    Idle,
    Reading,
    NoCode,
    NotAnImage,
    CannotRead,
}

/// What is wrong with a typed code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CodeProblem {
    Missing,
    Malformed,
}

#[component]
pub fn ScanPage() -> impl IntoView {
    let class = style! {
        .scan {
            width: 100%;
            max-width: 64rem;
            margin: 0 auto;
            padding: var(--space-4);
            display: grid;
            grid-template-columns: minmax(0, 1fr);
            gap: var(--space-4);
            align-content: start;
        }
        .intro h1 {
            margin: 0 0 var(--space-2);
            font-size: 1.5rem;
            line-height: 1.25;
        }
        .intro .lead {
            margin: 0;
        }
        .way {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            padding: var(--space-4);
            background: var(--surface);
            border: 1px solid var(--border);
            border-radius: var(--radius);
        }
        .way h2 {
            margin: 0;
            font-size: 1.125rem;
        }
        .way p {
            margin: 0;
        }
        .hint {
            color: var(--text-muted);
        }
        .viewfinder {
            position: relative;
            border-radius: var(--radius-s);
            overflow: hidden;
            background: #000000;
        }
        .viewfinder[hidden] {
            display: none;
        }
        video {
            display: block;
            width: 100%;
            aspect-ratio: 4 / 3;
            max-height: 50vh;
            object-fit: cover;
        }
        .foreign {
            margin-top: var(--space-4);
            padding: var(--space-4);
            border-radius: var(--radius);
            border: 1px solid var(--danger-border);
            background: var(--danger-surface);
        }
        .foreign p {
            margin: 0;
            color: var(--text);
        }
        .foreign strong {
            display: block;
            margin-bottom: var(--space-2);
        }
        .foreign .found {
            margin: var(--space-2) 0;
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius-s);
            background: var(--surface);
            font-family: ui-monospace, monospace;
            overflow-wrap: anywhere;
        }
        .back {
            margin: 0;
        }
        @media (min-width: 48rem) {
            .scan {
                grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
                padding: var(--space-5) var(--space-4);
            }
            .intro,
            .back {
                grid-column: 1 / -1;
            }
            .camera {
                grid-row: span 2;
                align-self: start;
            }
        }
    };

    let i18n = use_i18n();
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    use_page_title(move || i18n.t().scan_title.to_string());

    // The last text read that is not an invite of ours, shown (never followed) until another is read.
    let foreign = RwSignal::new(None::<String>);
    let origin = window().location().origin().unwrap_or_default();
    let origin = StoredValue::new(origin);
    let follow = move |text: String| -> bool {
        match origin.with_value(|origin| invite_key(&text, origin)) {
            Some(key) => {
                navigate.with_value(|navigate| navigate(&routes::join(key.as_str()), Default::default()));
                true
            }
            None => {
                // The same code stays in view and is read again: say it once.
                if foreign.with_untracked(|shown| shown.as_deref() != Some(text.as_str())) {
                    foreign.set(Some(text));
                }
                false
            }
        }
    };

    let decoder = use_qr_decoder();
    let camera = use_camera_qr(decoder, follow);

    let photo = RwSignal::new(PhotoState::Idle);
    let photo_input = NodeRef::<Input>::new();
    let on_photo = move |_| {
        let Some(input) = photo_input.get_untracked() else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Choosing the same file again must read it again.
        input.set_value("");
        photo.set(PhotoState::Reading);
        spawn_local(async move {
            let state = match decoder.read_file(&file).await {
                Ok(Some(text)) => {
                    if follow(text) {
                        return;
                    }
                    PhotoState::Idle
                }
                Ok(None) => PhotoState::NoCode,
                Err(DecodeError::NotAnImage) => PhotoState::NotAnImage,
                Err(DecodeError::Unavailable) => PhotoState::CannotRead,
            };
            let _ = photo.try_set(state);
        });
    };

    let code = RwSignal::new(String::new());
    let code_problem = RwSignal::new(None::<CodeProblem>);
    let code_input = NodeRef::<Input>::new();
    let code_error = Signal::derive(move || {
        let t = i18n.t();
        code_problem.get().map(|problem| match problem {
            CodeProblem::Missing => t.scan_code_required.to_string(),
            CodeProblem::Malformed => t.scan_code_invalid.to_string(),
        })
    });
    let on_code_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        let key = origin.with_value(|origin| invite_key(&typed, origin));
        match key {
            Some(key) => {
                code_problem.set(None);
                navigate.with_value(|navigate| navigate(&routes::join(key.as_str()), Default::default()));
            }
            None => {
                let problem =
                    if typed.trim().is_empty() { CodeProblem::Missing } else { CodeProblem::Malformed };
                code_problem.set(Some(problem));
                if let Some(input) = code_input.get_untracked() {
                    let _ = input.focus();
                }
            }
        }
    };

    // Built once, not per language: the `<video>` holds the camera's stream and must not be replaced,
    // and the live regions must stay in place to be heard.
    let showing = move || matches!(camera.state.get(), CameraState::Starting | CameraState::On);
    let camera_view = view! { class=class,
        <section class="way camera" aria-labelledby="scan-camera">
            <h2 id="scan-camera">{move || i18n.t().scan_camera_heading}</h2>
            <div class="viewfinder" hidden=move || !showing()>
                <video
                    node_ref=camera.video
                    muted=true
                    prop:muted=true
                    playsinline=true
                    autoplay=true
                    aria-label=move || i18n.t().scan_camera_preview
                ></video>
            </div>
            // Never empty, so that it takes its place once and stays there to be heard.
            <p class="hint" role="status">
                {move || {
                    let t = i18n.t();
                    match camera.state.get() {
                        CameraState::Starting => t.scan_camera_starting,
                        CameraState::On => t.scan_camera_on,
                        _ => t.scan_camera_hint,
                    }
                }}
            </p>
            {move || {
                let t = i18n.t();
                let problem = match camera.state.get() {
                    CameraState::Denied => t.scan_camera_denied,
                    CameraState::Missing => t.scan_camera_missing,
                    CameraState::Failed => t.scan_camera_failed,
                    CameraState::CannotRead => t.scan_cannot_read,
                    CameraState::Off | CameraState::Starting | CameraState::On => return None,
                };
                Some(view! { <p class="alert" role="alert">{problem}</p> })
            }}
            // One button that changes, so that focus stays on it.
            <button
                type="button"
                class=move || if showing() { "button button--block" } else { "button button--primary button--block" }
                on:click=move |_| if showing() { camera.stop.run(()) } else { camera.start.run(()) }
            >
                {move || if showing() { i18n.t().scan_camera_stop } else { i18n.t().scan_camera_start }}
            </button>
        </section>
    };

    let photo_view = view! { class=class,
        <section class="way" aria-labelledby="scan-photo">
            <h2 id="scan-photo">{move || i18n.t().scan_photo_heading}</h2>
            <p class="hint" role="status">
                {move || {
                    let t = i18n.t();
                    if photo.get() == PhotoState::Reading { t.scan_photo_reading } else { t.scan_photo_hint }
                }}
            </p>
            // Hidden: the button opens it, and reads and looks like the page's other buttons.
            <input type="file" accept="image/*" hidden=true node_ref=photo_input on:change=on_photo />
            <button
                type="button"
                class="button button--block"
                disabled=move || photo.get() == PhotoState::Reading
                on:click=move |_| {
                    if let Some(input) = photo_input.get_untracked() {
                        input.click();
                    }
                }
            >
                {move || i18n.t().scan_photo_choose}
            </button>
            {move || {
                let t = i18n.t();
                let problem = match photo.get() {
                    PhotoState::NoCode => t.scan_photo_none,
                    PhotoState::NotAnImage => t.scan_photo_not_image,
                    PhotoState::CannotRead => t.scan_cannot_read,
                    PhotoState::Idle | PhotoState::Reading => return None,
                };
                Some(view! { <p class="alert" role="alert">{problem}</p> })
            }}
        </section>
    };

    let code_view = move || {
        let t = i18n.t();
        view! { class=class,
            <h2 id="scan-code">{t.scan_code_heading}</h2>
            <form class="form" on:submit=on_code_submit novalidate>
                <TextField
                    id="invite-code"
                    label=t.scan_code_label
                    hint=t.scan_code_hint
                    value=code
                    error=code_error
                    autocomplete="off"
                    maxlength=200
                    node_ref=code_input
                />
                <button type="submit" class="button button--primary button--block">{t.scan_code_submit}</button>
            </form>
        }
    };

    let foreign_view = move || {
        let t = i18n.t();
        foreign.get().map(|text| {
            view! { class=class,
                <div class="foreign">
                    <p><strong>{t.scan_not_invite}</strong></p>
                    <p>{t.scan_not_invite_says}</p>
                    <p class="found">{text}</p>
                    <p>{t.scan_not_invite_text}</p>
                </div>
            }
        })
    };

    let back = move || {
        let t = i18n.t();
        let (href, label) = if session.is_signed_in() {
            (routes::HOME, t.go_home)
        } else {
            (routes::SIGN_IN, t.scan_back_to_sign_in)
        };
        view! { class=class, <a href=href>{label}</a> }
    };

    view! { class=class,
        <Shell brand_links_home=untrack(move || session.is_signed_in())>
            <div class="scan">
                <div class="intro">
                    <h1>{move || i18n.t().scan_title}</h1>
                    <p class="lead">{move || i18n.t().scan_lead}</p>
                    // Announced when a code is read: the person is looking at the camera, not at this.
                    <div aria-live="polite">{foreign_view}</div>
                </div>
                {camera_view}
                {photo_view}
                <section class="way" aria-labelledby="scan-code">{code_view}</section>
                <p class="back">{back}</p>
            </div>
        </Shell>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://parta.example";
    const TOKEN: &str = "AbCdEfGhIjKlMnOpQrStUvWxYz01-_45";

    #[test]
    fn links_of_this_app_lead_to_their_invite() {
        let link = format!("{ORIGIN}/join/{TOKEN}");
        assert_eq!(invite_key(&link, ORIGIN), Some(InviteKey::Token(TOKEN.into())));
        assert_eq!(invite_key(&format!(" {link}/\n"), ORIGIN), Some(InviteKey::Token(TOKEN.into())));
        assert_eq!(invite_key(&format!("{link}?utm=x#top"), ORIGIN), Some(InviteKey::Token(TOKEN.into())));
        assert_eq!(
            invite_key(&format!("HTTPS://PARTA.EXAMPLE/join/{TOKEN}"), ORIGIN),
            Some(InviteKey::Token(TOKEN.into()))
        );
        assert_eq!(
            invite_key(&format!("{ORIGIN}/join/k7qm-4xpd"), ORIGIN),
            Some(InviteKey::Code("K7QM4XPD".into()))
        );
    }

    #[test]
    fn bare_keys_are_invites_too() {
        assert_eq!(invite_key("K7QM-4XPD", ORIGIN), Some(InviteKey::Code("K7QM4XPD".into())));
        assert_eq!(invite_key(" k7qm 4xpd ", ORIGIN), Some(InviteKey::Code("K7QM4XPD".into())));
        assert_eq!(invite_key(TOKEN, ORIGIN), Some(InviteKey::Token(TOKEN.into())));
    }

    #[test]
    fn anything_else_is_not_followed() {
        for text in [
            format!("https://example.org/join/{TOKEN}"),
            format!("https://parta.example.evil.org/join/{TOKEN}"),
            format!("https://parta.example@evil.org/join/{TOKEN}"),
            format!("http://parta.example/join/{TOKEN}"),
            format!("{ORIGIN}/joins/{TOKEN}"),
            format!("{ORIGIN}/join/{TOKEN}/more"),
            format!("{ORIGIN}/join/"),
            format!("{ORIGIN}/join/K7QM%204XPD"),
            format!("{ORIGIN}/join/K7QM 4XPD"),
            format!("{ORIGIN}/chats/1"),
            "K7QM-4XP0".to_string(),
            "Привет".to_string(),
            String::new(),
        ] {
            assert_eq!(invite_key(&text, ORIGIN), None, "{text}");
        }
    }
}

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::html::Video;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamConstraints, MediaStreamTrack, MediaTrackConstraints};

use super::use_qr_decoder::{DecodeError, Frame, QrDecoder};

/// How often a frame of the camera is read: often enough to feel instant, rarely enough for a
/// cheap phone to keep the preview smooth.
const FRAME_EVERY_MS: u32 = 250;
/// Frames are scaled down to this longest side before reading: a code held up to the camera is large.
const FRAME_MAX_SIDE: u32 = 960;

/// Where the camera stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CameraState {
    Off,
    /// Asked for; the browser may be asking the person.
    Starting,
    /// Showing its picture and reading codes in it.
    On,
    /// The person (or the browser's settings) refused access.
    Denied,
    /// There is no camera, or this browser offers none to pages.
    Missing,
    /// The camera is there but did not start (another app holds it, say).
    Failed,
    /// The camera works, but this browser cannot read codes (our decoder did not start).
    CannotRead,
}

/// What `use_camera_qr` gives the scanner screen.
#[derive(Clone, Copy)]
pub struct UseCameraQrReturn {
    /// Put on the `<video>` that shows what the camera sees (muted, `playsinline`).
    pub video: NodeRef<Video>,
    pub state: Signal<CameraState>,
    /// Asks for the back camera (on phones) and starts reading codes.
    pub start: Callback<()>,
    /// Stops every track of the camera; the light goes out.
    pub stop: Callback<()>,
}

/// The camera's stream, kept out of the reactive system: it must be stopped even when the component's
/// signals are already gone.
#[derive(Default)]
struct Camera {
    stream: RefCell<Option<MediaStream>>,
    /// Which start this is: a stream granted after a stop (or after leaving the page) is stopped at
    /// once instead of shown.
    generation: Cell<u32>,
    gone: Cell<bool>,
}

impl Camera {
    fn stop(&self) {
        self.generation.set(self.generation.get() + 1);
        if let Some(stream) = self.stream.borrow_mut().take() {
            stop_tracks(&stream);
        }
    }
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

/// What a refused `getUserMedia` means for the person.
fn failure(error: &JsValue) -> CameraState {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name")).ok().and_then(|name| name.as_string());
    match name.as_deref() {
        Some("NotAllowedError" | "SecurityError") => CameraState::Denied,
        Some("NotFoundError" | "OverconstrainedError") => CameraState::Missing,
        _ => CameraState::Failed,
    }
}

/// The camera as a QR scanner: `start` shows its picture in `video` and reads a few frames a second
/// with `decoder`. Every text read goes to `on_text`, which answers whether it was the code looked for:
/// then the camera stops; else scanning goes on (and the same code is read again while in view). The
/// camera also stops on `stop`, when codes cannot be read, and when the component goes away.
///
/// Why not leptos-use's `use_user_media`: it leaves the camera on when the component goes away, and a
/// stream granted after that would never be stopped.
pub fn use_camera_qr(decoder: QrDecoder, on_text: impl Fn(String) -> bool + 'static) -> UseCameraQrReturn {
    let video = NodeRef::<Video>::new();
    let state = RwSignal::new(CameraState::Off);
    let camera: Rc<Camera> = Rc::default();
    let on_text = StoredValue::new_local(Rc::new(on_text) as Rc<dyn Fn(String) -> bool>);

    let stop = {
        let camera = SendWrapper::new(Rc::clone(&camera));
        Callback::new(move |()| {
            camera.stop();
            if let Some(video) = video.get_untracked() {
                video.set_src_object(None);
            }
            state.set(CameraState::Off);
        })
    };

    let scan = {
        let camera = Rc::clone(&camera);
        move |generation: u32| {
            let camera = Rc::clone(&camera);
            async move {
                let Some(frame) = Frame::new() else { return };
                let live = || camera.generation.get() == generation && !camera.gone.get();
                loop {
                    TimeoutFuture::new(FRAME_EVERY_MS).await;
                    // The page may have gone while this waited, and its `<video>` with it.
                    if !live() {
                        return;
                    }
                    let Some(image) = video.get_untracked().and_then(|v| frame.video(&v, FRAME_MAX_SIDE))
                    else {
                        continue;
                    };
                    let read = decoder.read(&image).await;
                    if !live() {
                        return;
                    }
                    match read {
                        Ok(Some(text)) => {
                            // `on_text` may leave the page, and this hook's signals with it.
                            if on_text.try_get_value().is_some_and(|on_text| on_text(text)) {
                                camera.stop();
                                let _ = state.try_set(CameraState::Off);
                            }
                        }
                        Ok(None) => {}
                        Err(DecodeError::Unavailable | DecodeError::NotAnImage) => {
                            camera.stop();
                            let _ = state.try_set(CameraState::CannotRead);
                        }
                    }
                }
            }
        }
    };

    let start = {
        let camera = SendWrapper::new(Rc::clone(&camera));
        let scan = SendWrapper::new(scan);
        Callback::new(move |()| {
            if matches!(state.get_untracked(), CameraState::Starting | CameraState::On) {
                return;
            }
            let Some(devices) = window().navigator().media_devices().ok() else {
                // No camera API at all: an old browser, or a page not served over HTTPS.
                state.set(CameraState::Missing);
                return;
            };
            let video_constraints = MediaTrackConstraints::new();
            // Preferred, not required: a laptop's only camera faces the person, and it is fine too.
            video_constraints.set_facing_mode_str("environment");
            let constraints = MediaStreamConstraints::new();
            constraints.set_video(&video_constraints);
            constraints.set_audio_bool(false);
            let Ok(request) = devices.get_user_media_with_constraints(&constraints) else {
                state.set(CameraState::Failed);
                return;
            };
            camera.stop();
            let generation = camera.generation.get();
            state.set(CameraState::Starting);
            // The worker (if this browser needs it) loads while the person answers the browser's question.
            decoder.prepare();
            let camera = Rc::clone(&camera);
            let scan = scan.clone();
            spawn_local(async move {
                let granted = JsFuture::from(request).await;
                if camera.generation.get() != generation || camera.gone.get() {
                    if let Ok(stream) = granted {
                        stop_tracks(&stream.unchecked_into());
                    }
                    return;
                }
                let stream: MediaStream = match granted {
                    Ok(stream) => stream.unchecked_into(),
                    Err(error) => {
                        let _ = state.try_set(failure(&error));
                        return;
                    }
                };
                let Some(element) = video.get_untracked() else {
                    stop_tracks(&stream);
                    return;
                };
                element.set_src_object(Some(&stream));
                *camera.stream.borrow_mut() = Some(stream);
                // Autoplay of a muted inline video is allowed; a refusal still leaves frames to read.
                if let Ok(playing) = element.play() {
                    let _ = JsFuture::from(playing).await;
                }
                if state.try_set(CameraState::On).is_none() {
                    (scan.take())(generation).await;
                }
            });
        })
    };

    let camera = SendWrapper::new(camera);
    on_cleanup(move || {
        camera.gone.set(true);
        camera.stop();
    });

    UseCameraQrReturn { video, state: state.into(), start, stop }
}

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, ImageBitmap, ImageData,
    MessageEvent, Worker,
};

/// The worker's start script, written by Trunk from index.html's `data-type="worker"` link. Trunk
/// names worker files without a content hash: the app must know the name.
const WORKER_URL: &str = "/qr_worker_loader.js";
/// How long the worker may take to fetch and start its wasm before the scanner gives up on it.
const WORKER_START_MS: i32 = 20_000;

#[wasm_bindgen]
extern "C" {
    /// The browser's own reader (Chromium on Android and macOS, Safari); not in web-sys's stable set.
    type BarcodeDetector;

    #[wasm_bindgen(constructor, catch)]
    fn new(options: &JsValue) -> Result<BarcodeDetector, JsValue>;

    #[wasm_bindgen(static_method_of = BarcodeDetector, js_name = getSupportedFormats, catch)]
    fn supported_formats() -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn detect(this: &BarcodeDetector, image: &JsValue) -> Result<Promise, JsValue>;
}

/// Why nothing could be read at all (as opposed to an image without a code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Neither the browser nor our worker can read codes here (the worker did not start).
    Unavailable,
    /// The file is not a picture the browser can open.
    NotAnImage,
}

enum Reader {
    Native(BarcodeDetector),
    Worker(WorkerReader),
}

/// The decoder worker and the answers it owes, oldest first (it answers in order).
struct WorkerReader {
    worker: Worker,
    /// Resolves to `true` when the worker says it runs, to `false` when it fails to or takes too long.
    /// Never rejects: nobody may be waiting for it, and an unhandled rejection is an error in the console.
    started: Promise,
    waiting: Rc<RefCell<Vec<(Function, Function)>>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(JsValue)>,
}

impl WorkerReader {
    fn start() -> Option<WorkerReader> {
        let worker = Worker::new(WORKER_URL).ok()?;
        let waiting: Rc<RefCell<Vec<(Function, Function)>>> = Rc::default();
        let mut on_start = None;
        let started = Promise::new(&mut |resolve, _| on_start = Some(resolve));
        let on_start = on_start?;
        // A promise settles once: this only fails a worker that has not started by then.
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_1(
            &on_start,
            WORKER_START_MS,
            &JsValue::FALSE,
        );
        let on_message = Closure::<dyn Fn(MessageEvent)>::new({
            let waiting = Rc::clone(&waiting);
            let on_start = on_start.clone();
            move |event: MessageEvent| {
                let data = event.data();
                if data == JsValue::TRUE {
                    let _ = on_start.call1(&JsValue::NULL, &JsValue::TRUE);
                } else if !waiting.borrow().is_empty() {
                    let (resolve, _) = waiting.borrow_mut().remove(0);
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
            }
        });
        // A worker that fails to load or crashes answers nothing more: fail whoever waits.
        let on_error = Closure::<dyn Fn(JsValue)>::new({
            let waiting = Rc::clone(&waiting);
            move |error: JsValue| {
                let _ = on_start.call1(&JsValue::NULL, &JsValue::FALSE);
                for (_, reject) in waiting.borrow_mut().drain(..) {
                    let _ = reject.call1(&JsValue::NULL, &error);
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(WorkerReader { worker, started, waiting, _on_message: on_message, _on_error: on_error })
    }

    async fn read(&self, image: &ImageData) -> Result<Option<String>, DecodeError> {
        if JsFuture::from(self.started.clone()).await != Ok(JsValue::TRUE) {
            return Err(DecodeError::Unavailable);
        }
        let mut answer = None;
        let promise = Promise::new(&mut |resolve, reject| answer = Some((resolve, reject)));
        let Some(answer) = answer else { return Err(DecodeError::Unavailable) };
        self.waiting.borrow_mut().push(answer);
        if self.worker.post_message(image).is_err() {
            self.waiting.borrow_mut().pop();
            return Err(DecodeError::Unavailable);
        }
        let text = JsFuture::from(promise).await.map_err(|_| DecodeError::Unavailable)?;
        Ok(text.as_string())
    }

    fn stop(&self) {
        self.worker.terminate();
        for (_, reject) in self.waiting.borrow_mut().drain(..) {
            let _ = reject.call1(&JsValue::NULL, &JsValue::NULL);
        }
    }
}

/// The browser's reader when it has one that reads QR codes.
async fn native_reader() -> Option<BarcodeDetector> {
    if !Reflect::has(&js_sys::global(), &JsValue::from_str("BarcodeDetector")).unwrap_or(false) {
        return None;
    }
    let formats = JsFuture::from(BarcodeDetector::supported_formats().ok()?).await.ok()?;
    let qr = JsValue::from_str("qr_code");
    if !formats.dyn_into::<Array>().ok()?.includes(&qr, 0) {
        return None;
    }
    let options = js_sys::Object::new();
    Reflect::set(&options, &JsValue::from_str("formats"), &Array::of1(&qr)).ok()?;
    BarcodeDetector::new(&options).ok()
}

#[derive(Default)]
struct Inner {
    /// Resolves once `reader` is chosen, or it is clear that none can be; shared by every read.
    chosen: Option<Promise>,
    reader: Option<Rc<Reader>>,
    closed: bool,
}

/// Reads QR codes in pictures: the browser's `BarcodeDetector` where it reads QR codes, else our
/// decoder worker, started on the first picture (never before: it is not part of the first load) and
/// stopped with the calling component. A `Copy` handle.
#[derive(Clone, Copy)]
pub struct QrDecoder {
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

impl QrDecoder {
    fn choose(&self) -> Option<Promise> {
        let inner = self.inner.try_get_value()?;
        let mut state = inner.borrow_mut();
        if state.closed {
            return None;
        }
        let chosen = state.chosen.get_or_insert_with(|| {
            let inner = Rc::clone(&inner);
            // Never rejected, like `WorkerReader::started`: no reader is `reader` staying `None`.
            future_to_promise(async move {
                let reader = match native_reader().await {
                    Some(native) => Some(Reader::Native(native)),
                    None => WorkerReader::start().map(Reader::Worker),
                };
                let mut state = inner.borrow_mut();
                match reader {
                    // The page went while the browser was being asked.
                    Some(Reader::Worker(worker)) if state.closed => worker.stop(),
                    reader => state.reader = reader.map(Rc::new),
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        Some(chosen.clone())
    }

    /// Chooses the reader now (and starts the worker if it is the one), so that the first picture is
    /// read without that wait: for when the person has just asked to scan.
    pub fn prepare(&self) {
        self.choose();
    }

    /// The text of the first QR code read in `image`, `None` when there is none.
    pub async fn read(&self, image: &ImageData) -> Result<Option<String>, DecodeError> {
        let chosen = self.choose().ok_or(DecodeError::Unavailable)?;
        let _ = JsFuture::from(chosen).await;
        let reader = self.inner.try_get_value().and_then(|inner| inner.borrow().reader.clone());
        match reader.as_deref().ok_or(DecodeError::Unavailable)? {
            Reader::Worker(worker) => worker.read(image).await,
            Reader::Native(detector) => {
                let found = detector.detect(image).map_err(|_| DecodeError::Unavailable)?;
                let found = JsFuture::from(found).await.map_err(|_| DecodeError::Unavailable)?;
                let first = found.dyn_into::<Array>().map(|codes| codes.get(0)).unwrap_or(JsValue::UNDEFINED);
                Ok(Reflect::get(&first, &JsValue::from_str("rawValue"))
                    .ok()
                    .and_then(|text| text.as_string()))
            }
        }
    }

    /// Reads a photo (or any picture file): scaled down first, since a camera's 12-megapixel photo
    /// needs no more than a screenful of pixels for a QR code that fills a good part of it.
    pub async fn read_file(&self, file: &Blob) -> Result<Option<String>, DecodeError> {
        let bitmap = window().create_image_bitmap_with_blob(file).map_err(|_| DecodeError::NotAnImage)?;
        let bitmap: ImageBitmap =
            JsFuture::from(bitmap).await.map_err(|_| DecodeError::NotAnImage)?.unchecked_into();
        let image = Frame::new()
            .and_then(|frame| frame.image_bitmap(&bitmap, PHOTO_MAX_SIDE))
            .ok_or(DecodeError::NotAnImage);
        bitmap.close();
        self.read(&image?).await
    }
}

/// The longest side a photo is scaled down to before it is read.
const PHOTO_MAX_SIDE: u32 = 1600;

/// A canvas to turn video frames and pictures into pixels, never shown.
pub struct Frame {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

impl Frame {
    pub fn new() -> Option<Frame> {
        let canvas: HtmlCanvasElement = document().create_element("canvas").ok()?.unchecked_into();
        // Its pixels are read back every time: tell the browser to keep them in memory, not on the GPU.
        let options = js_sys::Object::new();
        Reflect::set(&options, &JsValue::from_str("willReadFrequently"), &JsValue::TRUE).ok()?;
        let context = canvas.get_context_with_context_options("2d", &options).ok()??.unchecked_into();
        Some(Frame { canvas, context })
    }

    /// The picture's width and height scaled so that neither exceeds `max_side`.
    fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
        let scale = (f64::from(max_side) / f64::from(width.max(height).max(1))).min(1.0);
        (
            (f64::from(width) * scale).round().max(1.0) as u32,
            (f64::from(height) * scale).round().max(1.0) as u32,
        )
    }

    fn pixels(&self, width: u32, height: u32) -> Option<ImageData> {
        self.context.get_image_data(0.0, 0.0, f64::from(width), f64::from(height)).ok()
    }

    /// The frame a video shows now, `None` before its first frame.
    pub fn video(&self, video: &HtmlVideoElement, max_side: u32) -> Option<ImageData> {
        if video.video_width() == 0 || video.video_height() == 0 {
            return None;
        }
        let (width, height) = Self::fit(video.video_width(), video.video_height(), max_side);
        self.canvas.set_width(width);
        self.canvas.set_height(height);
        self.context
            .draw_image_with_html_video_element_and_dw_and_dh(
                video,
                0.0,
                0.0,
                f64::from(width),
                f64::from(height),
            )
            .ok()?;
        self.pixels(width, height)
    }

    fn image_bitmap(&self, bitmap: &ImageBitmap, max_side: u32) -> Option<ImageData> {
        let (width, height) = Self::fit(bitmap.width(), bitmap.height(), max_side);
        self.canvas.set_width(width);
        self.canvas.set_height(height);
        // Transparent parts of a PNG read as white, not black, as on paper.
        self.context.set_fill_style_str("#ffffff");
        self.context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
        self.context
            .draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, f64::from(width), f64::from(height))
            .ok()?;
        self.pixels(width, height)
    }
}

/// A QR reader for the calling component; its worker, if it started one, stops with the component.
pub fn use_qr_decoder() -> QrDecoder {
    let inner: Rc<RefCell<Inner>> = Rc::default();
    let decoder = QrDecoder { inner: StoredValue::new_local(Rc::clone(&inner)) };
    let inner = SendWrapper::new(inner);
    on_cleanup(move || {
        let mut state = inner.borrow_mut();
        state.closed = true;
        if let Some(Reader::Worker(worker)) = state.reader.take().as_deref() {
            worker.stop();
        }
    });
    decoder
}

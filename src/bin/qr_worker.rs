//! The scanner's QR decoder (`/scan`), a Web Worker of its own: the scanner starts it only in browsers
//! without a native `BarcodeDetector`, and only once it has something to read, so its wasm is never
//! part of the first load. Trunk builds it from index.html (`data-type="worker"`) into
//! `qr_worker_loader.js`, `qr_worker.js` and `qr_worker_bg.wasm`.
//!
//! The conversation (see `src/hooks/use_qr_decoder.rs` for the other side): once running, the worker
//! posts `true`; then it answers every `ImageData` it is sent, in order, with the text of the first QR
//! code it reads in it, or `null`.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, ImageData, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let answer_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let text =
            event.data().dyn_into::<ImageData>().ok().and_then(|image| {
                decode_rgba(image.width() as usize, image.height() as usize, &image.data())
            });
        let answer = text.map_or(JsValue::NULL, |text| JsValue::from_str(&text));
        let _ = answer_to.post_message(&answer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the scanner needs it; the handler with it.
    on_message.forget();
    let _ = scope.post_message(&JsValue::TRUE);
}

/// The text of the first readable QR code in an RGBA image (`ImageData`'s layout), if any.
fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return None;
    }
    // ITU-R BT.601 luma, in integers.
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .take(width * height)
        .map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8)
        .collect();
    let mut decoder = quircs::Quirc::default();
    let codes = decoder.identify(width, height, &luma);
    codes.filter_map(|code| code.ok()?.decode().ok()).find_map(|data| String::from_utf8(data.payload).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An RGBA picture of `text` as a QR code: `scale` pixels a module, a 4-module quiet zone, dark
    /// grey on a light background like a photo of a screen.
    fn picture(text: &str, scale: usize) -> (usize, Vec<u8>) {
        let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).unwrap();
        let modules = code.size() as usize + 8;
        let side = modules * scale;
        let mut rgba = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as i32 - 4, (y / scale) as i32 - 4);
                let shade = if code.get_module(mx, my) { 30 } else { 230 };
                rgba.extend_from_slice(&[shade, shade, shade, 255]);
            }
        }
        (side, rgba)
    }

    #[test]
    fn reads_a_code_it_is_shown() {
        let url = "https://parta.example/join/AbCdEfGhIjKlMnOpQrStUvWxYz012345";
        let (side, rgba) = picture(url, 6);
        assert_eq!(decode_rgba(side, side, &rgba).as_deref(), Some(url));
    }

    #[test]
    fn finds_nothing_in_a_blank_or_broken_image() {
        assert_eq!(decode_rgba(40, 30, &[255; 40 * 30 * 4]), None);
        assert_eq!(decode_rgba(40, 30, &[0; 10]), None);
        assert_eq!(decode_rgba(0, 0, &[]), None);
    }
}

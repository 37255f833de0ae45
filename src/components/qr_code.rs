use leptos::prelude::*;
use qrcodegen::{QrCode as Matrix, QrCodeEcc};
use stylers_macro::style;

/// Modules of white around the code, as the QR standard asks for readers to find it.
pub const QUIET_ZONE: i32 = 4;

/// A text drawn as a QR code, made in the app (no request anywhere): one SVG whose units are modules,
/// so it is crisp at any size, dark on white in either theme so that a phone reads it off a screen in
/// dark mode too. It is as wide as its container; set the container's width.
#[component]
pub fn QrCode(
    /// What the code says: an invite link.
    #[prop(into)]
    text: Signal<String>,
    /// What the picture is, for screen readers («QR-код приглашения в 5А»). Empty when the text next
    /// to it says the same (a printed sheet): the picture is then hidden from screen readers.
    #[prop(into)]
    aria_label: Signal<String>,
) -> impl IntoView {
    let class = style! {
        svg {
            display: block;
            width: 100%;
            height: auto;
            background: #ffffff;
        }
    };
    // Medium error correction: an invite link stays a small code, and a smudge on a printed sheet or
    // glare on a screen is still read.
    let drawing = Memo::new(move |_| {
        text.with(|text| Matrix::encode_text(text, QrCodeEcc::Medium).ok().map(|m| draw(&m)))
    });
    move || {
        drawing.get().map(|(side, path)| {
            view! { class=class,
                <svg
                    viewBox=format!("0 0 {side} {side}")
                    shape-rendering="crispEdges"
                    role=move || aria_label.with(|label| (!label.is_empty()).then_some("img"))
                    aria-label=move || aria_label.with(|label| (!label.is_empty()).then(|| label.clone()))
                    aria-hidden=move || aria_label.with(|label| label.is_empty().then_some("true"))
                >
                    <rect width="100%" height="100%" fill="#ffffff"></rect>
                    <path d=path fill="#000000"></path>
                </svg>
            }
        })
    }
}

/// The side of the drawing in modules (quiet zone included) and one path of its dark modules: each run
/// of dark modules in a row is one rectangle, which keeps the path short.
pub fn draw(matrix: &Matrix) -> (i32, String) {
    let size = matrix.size();
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !matrix.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && matrix.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE));
        }
    }
    (size + 2 * QUIET_ZONE, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dark_module_is_drawn_once_inside_the_quiet_zone() {
        let matrix = Matrix::encode_text("https://parta.example/join/K7QM4XPD", QrCodeEcc::Medium).unwrap();
        let (side, path) = draw(&matrix);
        assert_eq!(side, matrix.size() + 8);
        let dark: i32 = (0..matrix.size())
            .flat_map(|y| (0..matrix.size()).map(move |x| (x, y)))
            .filter(|&(x, y)| matrix.get_module(x, y))
            .count() as i32;
        let mut drawn = 0;
        for run in path.split('z').filter(|run| !run.is_empty()) {
            let (start, rest) = run[1..].split_once('h').unwrap();
            let (x, y) = start.split_once(' ').unwrap();
            let (x, y): (i32, i32) = (x.parse().unwrap(), y.parse().unwrap());
            let length: i32 = rest.split_once('v').unwrap().0.parse().unwrap();
            assert!(
                x >= QUIET_ZONE
                    && y >= QUIET_ZONE
                    && x + length <= side - QUIET_ZONE
                    && y < side - QUIET_ZONE
            );
            drawn += length;
        }
        assert_eq!(drawn, dark);
    }
}

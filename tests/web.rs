//! Browser unit tests: components and browser-backed helpers, in headless Chromium
//! (`cargo test --target wasm32-unknown-unknown`).

#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use parta::components::{LanguageSwitch, TextField};
use parta::format::{day_label, plural};
use parta::i18n::{Lang, RU, provide_i18n};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> HtmlElement {
    let element = document().create_element("div").unwrap().unchecked_into::<HtmlElement>();
    document().body().unwrap().append_child(&element).unwrap();
    element
}

fn html_lang() -> String {
    document().document_element().unwrap().get_attribute("lang").unwrap_or_default()
}

#[wasm_bindgen_test]
async fn language_switch_changes_html_lang_and_remembers_it() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let root = container();
    let _app = mount_to(root.clone(), || {
        provide_i18n();
        view! { <LanguageSwitch /> }
    });
    tick().await;
    assert_eq!(html_lang(), "ru");
    let button = root.query_selector("button").unwrap().unwrap().unchecked_into::<HtmlElement>();
    assert_eq!(button.text_content().unwrap(), "English");
    assert_eq!(button.get_attribute("lang").as_deref(), Some("en"));

    button.click();
    tick().await;
    assert_eq!(html_lang(), "en");
    assert_eq!(button.text_content().unwrap(), "Русский");
    let saved = window().local_storage().unwrap().unwrap().get_item("parta.lang").unwrap();
    assert_eq!(saved.as_deref(), Some("en"));
    root.remove();
}

#[wasm_bindgen_test]
async fn text_field_ties_its_error_to_the_input_and_keeps_the_value() {
    let root = container();
    let value = RwSignal::new("8 900".to_string());
    let error = RwSignal::new(None::<String>);
    let _app = mount_to(root.clone(), move || {
        provide_i18n();
        view! {
            <TextField
                id="phone"
                label="Номер телефона"
                hint="Например"
                value=value
                error=error
            />
        }
    });
    tick().await;
    let input = root.query_selector("#phone").unwrap().unwrap().unchecked_into::<HtmlInputElement>();
    assert_eq!(input.value(), "8 900");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("phone-hint"));
    let label = root.query_selector("label[for=phone]").unwrap().unwrap();
    assert_eq!(label.text_content().unwrap(), "Номер телефона");

    error.set(Some(RU.error_invalid_phone.to_string()));
    tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("phone-hint phone-error"));
    let message = root.query_selector("#phone-error").unwrap().unwrap();
    assert_eq!(message.text_content().unwrap(), RU.error_invalid_phone);
    // The person's input survives the error.
    assert_eq!(input.value(), "8 900");

    input.set_value("8 900 123-45-67");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(value.get_untracked(), "8 900 123-45-67");
    root.remove();
}

#[wasm_bindgen_test]
fn plurals_follow_each_language() {
    let forms = RU.members_count;
    assert_eq!(plural(1, forms, Lang::Ru), "1 участник");
    assert_eq!(plural(3, forms, Lang::Ru), "3 участника");
    assert_eq!(plural(5, forms, Lang::Ru), "5 участников");
    assert_eq!(plural(21, forms, Lang::Ru), "21 участник");
    assert_eq!(plural(112, forms, Lang::Ru), "112 участников");
    let en = Lang::En.strings().members_count;
    assert_eq!(plural(1, en, Lang::En), "1 member");
    assert_eq!(plural(2, en, Lang::En), "2 members");
}

#[wasm_bindgen_test]
fn date_separators_name_today_and_yesterday() {
    let now = js_sys::Date::new_0();
    let today = now.to_iso_string().as_string().unwrap();
    assert_eq!(day_label(&today, Lang::Ru), "Сегодня");
    assert_eq!(day_label(&today, Lang::En), "Today");
    let yesterday = js_sys::Date::new(&(now.get_time() - 86_400_000.0).into());
    assert_eq!(day_label(&yesterday.to_iso_string().as_string().unwrap(), Lang::Ru), "Вчера");
    assert_eq!(day_label("2020-03-05T10:00:00Z", Lang::Ru), "5 марта 2020 г.");
    assert_eq!(day_label("not a date", Lang::Ru), "");
}

#[wasm_bindgen_test]
async fn a_second_submit_while_the_first_is_under_way_is_ignored() {
    use std::cell::Cell;
    use std::rc::Rc;

    let submit = parta::hooks::use_submit();
    let started = Rc::new(Cell::new(0));
    for _ in 0..2 {
        let started = started.clone();
        submit.run(async move {
            started.set(started.get() + 1);
            gloo_timers::future::TimeoutFuture::new(20).await;
        });
    }
    assert!(submit.pending());
    gloo_timers::future::TimeoutFuture::new(60).await;
    assert_eq!(started.get(), 1, "a double tap sent twice");
    assert!(!submit.pending());

    let again = started.clone();
    submit.run(async move { again.set(again.get() + 1) });
    gloo_timers::future::TimeoutFuture::new(10).await;
    assert_eq!(started.get(), 2, "once done, the next submit goes through");
}

#[wasm_bindgen_test]
async fn qr_code_is_one_crisp_path_in_a_box_of_modules_with_its_quiet_zone() {
    use parta::components::QrCode;
    use qrcodegen::{QrCode as Matrix, QrCodeEcc};

    let side = |text: &str| Matrix::encode_text(text, QrCodeEcc::Medium).unwrap().size() + 8;
    let short = "https://parta.example/join/K7QM4XPD".to_string();
    let long = format!("https://parta.example/join/{}", "AbCdEfGhIjKlMnOpQrStUvWxYz012345".repeat(3));
    assert!(side(&long) > side(&short), "a longer text takes a larger code");

    let root = container();
    let text = RwSignal::new(short.clone());
    let _app = mount_to(root.clone(), move || {
        view! { <QrCode text=text aria_label="QR-код приглашения в 5А" /> }
    });
    tick().await;
    let svg = root.query_selector("svg").unwrap().expect("an inline svg");
    assert_eq!(svg.namespace_uri().as_deref(), Some("http://www.w3.org/2000/svg"));
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(svg.get_attribute("aria-label").as_deref(), Some("QR-код приглашения в 5А"));
    assert_eq!(svg.get_attribute("shape-rendering").as_deref(), Some("crispEdges"));
    let n = side(&short);
    assert_eq!(svg.get_attribute("viewBox"), Some(format!("0 0 {n} {n}")));
    // A white background and one path for every dark module.
    assert_eq!(svg.child_element_count(), 2);
    let background = svg.first_element_child().unwrap();
    let path = svg.last_element_child().unwrap();
    assert_eq!((background.tag_name().as_str(), path.tag_name().as_str()), ("rect", "path"));
    assert!(path.get_attribute("d").unwrap().starts_with('M'));
    // Dark on white whatever the theme: a phone must read it off a dark screen too.
    assert_eq!(path.get_attribute("fill").as_deref(), Some("#000000"));
    assert_eq!(background.get_attribute("fill").as_deref(), Some("#ffffff"));

    text.set(long.clone());
    tick().await;
    let svg = root.query_selector("svg").unwrap().unwrap();
    let n = side(&long);
    assert_eq!(svg.get_attribute("viewBox"), Some(format!("0 0 {n} {n}")));
    root.remove();

    // Without a label (the text beside it says the same) it is hidden from screen readers.
    let root = container();
    let _app = mount_to(root.clone(), move || view! { <QrCode text=short.clone() aria_label="" /> });
    tick().await;
    let svg = root.query_selector("svg").unwrap().unwrap();
    assert_eq!(svg.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!((svg.get_attribute("role"), svg.get_attribute("aria-label")), (None, None));
    root.remove();
}

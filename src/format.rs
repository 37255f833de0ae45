//! Dates, times, durations and plurals in the person's language, by the browser's own `Intl`
//! (no date or locale crate in the wasm).

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::{Lang, Strings, fill};

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

fn locales(lang: Lang) -> Array {
    Array::of1(&JsValue::from_str(lang.code()))
}

fn date_time_format(lang: Lang, pairs: &[(&str, &str)], date: &Date) -> String {
    let format = Intl::DateTimeFormat::new(&locales(lang), &options(pairs)).format();
    format.call1(&JsValue::NULL, date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// Parses an RFC 3339 time from the API; `None` for anything the browser cannot read.
pub fn parse_time(rfc3339: &str) -> Option<Date> {
    let date = Date::new(&JsValue::from_str(rfc3339));
    (!date.get_time().is_nan()).then_some(date)
}

fn same_day(a: &Date, b: &Date) -> bool {
    a.get_full_year() == b.get_full_year() && a.get_month() == b.get_month() && a.get_date() == b.get_date()
}

/// "14:05" (or "2:05 PM"), in the person's time zone.
pub fn time_of_day(rfc3339: &str, lang: Lang) -> String {
    parse_time(rfc3339)
        .map(|d| date_time_format(lang, &[("hour", "numeric"), ("minute", "2-digit")], &d))
        .unwrap_or_default()
}

/// A timeline's date separator: "Сегодня", "Вчера", "5 ноября", "5 ноября 2025 г.".
pub fn day_label(rfc3339: &str, lang: Lang) -> String {
    let Some(date) = parse_time(rfc3339) else { return String::new() };
    let now = Date::new_0();
    let yesterday = Date::new(&JsValue::from_f64(now.get_time() - 86_400_000.0));
    if same_day(&date, &now) || same_day(&date, &yesterday) {
        let days = if same_day(&date, &now) { 0.0 } else { -1.0 };
        let relative = Intl::RelativeTimeFormat::new(&locales(lang), &options(&[("numeric", "auto")]));
        return capitalize(&String::from(relative.format(days, "day")));
    }
    if date.get_full_year() == now.get_full_year() {
        date_time_format(lang, &[("day", "numeric"), ("month", "long")], &date)
    } else {
        date_time_format(lang, &[("day", "numeric"), ("month", "long"), ("year", "numeric")], &date)
    }
}

/// The time shown in the chat list: the time today, a short date otherwise.
pub fn list_time(rfc3339: &str, lang: Lang) -> String {
    let Some(date) = parse_time(rfc3339) else { return String::new() };
    let now = Date::new_0();
    if same_day(&date, &now) {
        time_of_day(rfc3339, lang)
    } else if date.get_full_year() == now.get_full_year() {
        date_time_format(lang, &[("day", "numeric"), ("month", "short")], &date)
    } else {
        date_time_format(lang, &[("day", "2-digit"), ("month", "2-digit"), ("year", "numeric")], &date)
    }
}

/// A full date and time for a tooltip or a screen reader: "22 ноября 2026 г., 14:05".
pub fn full_date_time(rfc3339: &str, lang: Lang) -> String {
    parse_time(rfc3339)
        .map(|d| {
            date_time_format(
                lang,
                &[
                    ("day", "numeric"),
                    ("month", "long"),
                    ("year", "numeric"),
                    ("hour", "numeric"),
                    ("minute", "2-digit"),
                ],
                &d,
            )
        })
        .unwrap_or_default()
}

/// A date without time: "31 декабря 2026 г.".
pub fn long_date(rfc3339: &str, lang: Lang) -> String {
    parse_time(rfc3339)
        .map(|d| date_time_format(lang, &[("day", "numeric"), ("month", "long"), ("year", "numeric")], &d))
        .unwrap_or_default()
}

/// Today's date as `YYYY-MM-DD` in the person's time zone.
pub fn today_iso() -> String {
    let now = Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
}

/// The plural category of `n` in `lang` ("one", "few", "many", "other"), from `Intl.PluralRules`.
pub fn plural_category(n: u32, lang: Lang) -> String {
    let rules = Intl::PluralRules::new(&locales(lang), &Object::new());
    String::from(rules.select(f64::from(n)))
}

/// Picks the form for `n` among `one|few|many|other` forms written as `"{n} участник|{n} участника|…"`
/// and fills `{n}`. Languages with fewer forms repeat them; a missing form falls back to the last.
pub fn plural(n: u32, forms: &str, lang: Lang) -> String {
    let forms: Vec<&str> = forms.split('|').collect();
    let index = match plural_category(n, lang).as_str() {
        "one" => 0,
        "few" => 1,
        "many" => 2,
        _ => 3,
    };
    let form = forms.get(index).or(forms.last()).copied().unwrap_or_default();
    fill(form, &[("n", &n.to_string())])
}

/// "45 с" or "3 мин": how long to wait.
pub fn duration(seconds: u32, t: &Strings) -> String {
    if seconds < 90 {
        fill(t.duration_seconds, &[("n", &seconds.to_string())])
    } else {
        fill(t.duration_minutes, &[("n", &seconds.div_ceil(60).to_string())])
    }
}

/// The local calendar day of an RFC 3339 time, `YYYY-MM-DD`: the key that date separators group by.
pub fn local_day(rfc3339: &str) -> String {
    parse_time(rfc3339)
        .map(|d| format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date()))
        .unwrap_or_default()
}

/// Upper-cases the first letter with the browser's own tables: Rust's `to_uppercase` would ship
/// Unicode case tables (~12 KB) in the wasm.
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => {
            let first = js_sys::JsString::from(first.to_string()).to_upper_case();
            String::from(first) + chars.as_str()
        }
        None => String::new(),
    }
}

/// Lower-cases with the browser's own tables, for matching what people type in a search: Rust's
/// `to_lowercase` would ship Unicode case tables (~12 KB) in the wasm. Host tests use Rust's.
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return String::from(js_sys::JsString::from(text).to_lower_case());
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
}

/// "1,2 МБ", "340 КБ", "12 байт": a file's size in the person's language, by the browser's `Intl`.
pub fn file_size(bytes: u64, lang: Lang) -> String {
    const KB: f64 = 1024.0;
    let bytes = bytes as f64;
    let (value, unit) = if bytes >= KB * KB {
        (bytes / (KB * KB), "megabyte")
    } else if bytes >= KB {
        (bytes / KB, "kilobyte")
    } else {
        (bytes, "byte")
    };
    let options = Object::new();
    for (key, value) in
        [("style", JsValue::from("unit")), ("unit", unit.into()), ("maximumFractionDigits", 1.into())]
    {
        let _ = Reflect::set(&options, &key.into(), &value);
    }
    let format = Intl::NumberFormat::new(&locales(lang), &options).format();
    format.call1(&JsValue::NULL, &value.into()).ok().and_then(|text| text.as_string()).unwrap_or_default()
}

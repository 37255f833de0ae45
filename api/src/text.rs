//! What is kept of the text people type: one rule for every free-text field of every request.
//!
//! Control characters (NUL, BEL, ESC and the rest of Unicode's `Cc`) are never kept: they mean
//! nothing on a screen, and a terminal reading a log would obey them. Neither are the invisible
//! characters that change the direction of the text around them (U+202E RIGHT-TO-LEFT OVERRIDE and its
//! kin): «Родители⟨U+202E⟩Админ» would show as «РодителинимдА», and a file name could hide its real
//! extension. Joiners (U+200C, U+200D) and variation selectors stay: emoji and some scripts need them.
//!
//! A one-line field (a title, a name, a label) also has its whitespace folded: line breaks and tabs
//! become spaces, runs of them one space, and the ends are trimmed. A text of several lines (a message,
//! a chat's description) keeps its line breaks and tabs, with `\r\n` and lone `\r` as `\n`, and loses
//! only the blank lines and spaces around it.
//!
//! Requests clean their fields as they are read ([`line`], [`text`] and their kin with serde's
//! `deserialize_with`), so that a handler, and every length it measures, only ever sees clean text.

use serde::{Deserialize, Deserializer};

/// Characters that change the direction of the text after them: embeddings, overrides, isolates and
/// marks (Unicode's `Bidi_Control`).
fn changes_direction(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Line and paragraph separators, which a browser breaks lines at as at `\n`.
fn breaks_line(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A one-line field as kept: no control or direction-changing characters, whitespace folded to single
/// spaces, trimmed.
pub fn clean_line(input: &str) -> String {
    let mut line = String::with_capacity(input.len());
    let mut space = false;
    for c in input.chars() {
        if c.is_whitespace() {
            space = !line.is_empty();
        } else if !c.is_control() && !changes_direction(c) {
            if space {
                line.push(' ');
                space = false;
            }
            line.push(c);
        }
    }
    line
}

/// A text of several lines as kept: line breaks (as `\n`) and tabs stay, other control and
/// direction-changing characters go, and the blank lines and spaces around it are trimmed.
pub fn clean_text(input: &str) -> String {
    let mut text = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if breaks_line(c) {
            text.push('\n');
        } else if c == '\t' || !(c.is_control() || changes_direction(c)) {
            text.push(c);
        }
    }
    let trimmed = text.trim();
    if trimmed.len() == text.len() { text } else { trimmed.to_string() }
}

/// Serde: a one-line field, cleaned by [`clean_line`].
pub fn line<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer).map(|raw| clean_line(&raw))
}

/// Serde: an optional one-line field (`null` or absent stays `None`; blank becomes `Some("")`).
pub fn optional_line<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|raw| raw.map(|raw| clean_line(&raw)))
}

/// Serde: a list of one-line fields (a poll's options), each cleaned.
pub fn lines<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Vec::<String>::deserialize(deserializer).map(|raw| raw.iter().map(|raw| clean_line(raw)).collect())
}

/// Serde: a text of several lines, cleaned by [`clean_text`].
pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer).map(|raw| clean_text(&raw))
}

/// Serde: an optional text of several lines.
pub fn optional_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|raw| raw.map(|raw| clean_text(&raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_loses_controls_and_direction_changes() {
        assert_eq!(clean_line("Родители\u{202E}Админ"), "РодителиАдмин");
        assert_eq!(clean_line("a\u{0}b\u{7}c\u{1b}[31md\u{7f}e\u{9b}f"), "abc[31mdef");
        for bidi in ['\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}'] {
            assert_eq!(clean_line(&format!("x{bidi}y")), "xy", "{:04X}", bidi as u32);
        }
        for isolate in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(clean_line(&format!("x{isolate}y")), "xy", "{:04X}", isolate as u32);
        }
    }

    #[test]
    fn a_line_has_its_whitespace_folded() {
        assert_eq!(clean_line("  Родительское \r\n собрание\t5А  "), "Родительское собрание 5А");
        assert_eq!(
            clean_line("один\rдва\u{2028}три\u{a0}\u{a0}четыре\u{85}пять"),
            "один два три четыре пять"
        );
        assert_eq!(clean_line(" \t\n\u{202E} "), "");
        assert_eq!(clean_line("\u{202E} 5А"), "5А", "no space is left where a removed character was");
    }

    #[test]
    fn emoji_and_scripts_keep_their_joiners() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(clean_line(family), family);
        assert_eq!(clean_line("❤\u{FE0F}"), "❤\u{FE0F}");
        assert_eq!(clean_text("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn a_text_keeps_its_lines_and_tabs() {
        assert_eq!(
            clean_text("\n\n  Завтра:\r\n\t1. физика\r2. химия\u{2029}\u{202E}конец \n\n"),
            "Завтра:\n\t1. физика\n2. химия\nконец"
        );
        assert_eq!(clean_text("звонок\u{7}\u{0}\u{1b}[2J!"), "звонок[2J!");
        assert_eq!(clean_text("два  пробела"), "два  пробела");
        assert_eq!(clean_text("\u{0}\u{202E}\r\n"), "");
    }

    #[test]
    fn length_is_measured_after_cleaning() {
        let padded = format!("{}{}", "я".repeat(100), "\u{202E}".repeat(50));
        assert_eq!(clean_line(&padded).chars().count(), 100);
    }

    #[test]
    fn serde_helpers_clean_as_they_read() {
        #[derive(Deserialize)]
        struct Form {
            #[serde(deserialize_with = "line")]
            title: String,
            #[serde(default, deserialize_with = "optional_line")]
            label: Option<String>,
            #[serde(default, deserialize_with = "optional_line")]
            absent: Option<String>,
            #[serde(deserialize_with = "lines")]
            options: Vec<String>,
            #[serde(deserialize_with = "text")]
            body: String,
            #[serde(default, deserialize_with = "optional_text")]
            note: Option<String>,
        }
        let form: Form = serde_json::from_str(
            r#"{"title":" a\u0000 b ","label":null,"options":["\u202eда","нет\n"],"body":"x\r\ny\u001b","note":" \n "}"#,
        )
        .unwrap();
        assert_eq!(form.title, "a b");
        assert_eq!((form.label, form.absent), (None, None));
        assert_eq!(form.options, ["да", "нет"]);
        assert_eq!(form.body, "x\ny");
        assert_eq!(form.note.as_deref(), Some(""));
    }
}

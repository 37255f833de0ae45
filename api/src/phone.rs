//! Russian phone numbers, as people type them.

/// Normalises a Russian phone number typed in any common form to `+7XXXXXXXXXX`.
///
/// Accepted: `+7 900 123-45-67`, `8 (900) 123-45-67`, `8-900-123-45-67`, `7 900 1234567`, `9001234567`.
/// Spaces, dashes, dots and brackets may stand anywhere between digits; a leading `+` only before 7.
/// Anything else (letters, other country codes, too few or too many digits) is `None`.
pub fn normalize(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::with_capacity(11);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '\u{a0}' | '-' | '‑' | '–' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let national = match (plus, digits.len()) {
        (true, 11) if digits.starts_with('7') => &digits[1..],
        (false, 11) if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        (false, 10) => &digits[..],
        _ => return None,
    };
    // Russian numbering plan: national numbers start with 3, 4, 8 (landlines, free-phone) or 9 (mobile).
    if !matches!(national.as_bytes()[0], b'3' | b'4' | b'8' | b'9') {
        return None;
    }
    Some(format!("+7{national}"))
}

/// Formats a normalised number for people: `+7 900 123-45-67`. Other input is returned unchanged.
pub fn display(normalized: &str) -> String {
    match normalized.strip_prefix("+7") {
        Some(n) if n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("+7 {} {}-{}-{}", &n[0..3], &n[3..6], &n[6..8], &n[8..10])
        }
        _ => normalized.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_normalise() {
        for input in [
            "+79001234567",
            "+7 900 123-45-67",
            "+7 (900) 123-45-67",
            "8 (900) 123-45-67",
            "8-900-123-45-67",
            "89001234567",
            "7 900 1234567",
            "9001234567",
            "  8 900 123 45 67  ",
            "8.900.123.45.67",
        ] {
            assert_eq!(normalize(input).as_deref(), Some("+79001234567"), "{input}");
        }
        assert_eq!(normalize("8 (495) 123-45-67").as_deref(), Some("+74951234567"));
    }

    #[test]
    fn everything_else_is_refused() {
        for input in [
            "",
            "+",
            "12345",
            "+1 202 555 0100",
            "+8 900 123-45-67",
            "+7 900 123-45-6",
            "+7 900 123-45-678",
            "89001234567a",
            "8900123456７",
            "2001234567",
            "+7 100 123-45-67",
            "<script>alert(1)</script>",
            "+7 900 123 45 67 доб. 2",
        ] {
            assert_eq!(normalize(input), None, "{input}");
        }
    }

    #[test]
    fn display_groups_digits() {
        assert_eq!(display("+79001234567"), "+7 900 123-45-67");
        assert_eq!(display("oops"), "oops");
    }
}

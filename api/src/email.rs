//! E-mail addresses: a parent's, for the codes and the confirmation of a young student.

/// The longest address SMTP can carry.
pub const MAX_LENGTH: usize = 254;

/// Trims and lower-cases (ASCII only) an address, or `None` when it cannot be one: a single `@`, a
/// non-empty local part, a domain with a dot, printable ASCII without spaces or the characters mail
/// software quotes. Lower-casing the local part is not what RFC 5321 says, but every mailbox a parent
/// uses treats it so, and it keeps one mailbox from becoming two accounts.
pub fn normalize(input: &str) -> Option<String> {
    let address = input.trim().to_ascii_lowercase();
    if address.is_empty() || address.len() > MAX_LENGTH {
        return None;
    }
    let (local, domain) = address.split_once('@')?;
    let allowed = |c: char| c.is_ascii_graphic() && !"@<>()[]\\,;:\"".contains(c);
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (!local.is_empty() && local.chars().all(allowed) && domain_ok).then_some(address)
}

/// An address with its local part hidden but for the first character: `p•••@mail.ru`. Enough for a
/// child to recognise which parent's mailbox, nothing for anyone else to write to.
pub fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(normalize("  Mama.Ivanova@Mail.RU "), Some("mama.ivanova@mail.ru".into()));
        assert_eq!(normalize("a+b@x.org"), Some("a+b@x.org".into()));
    }

    #[test]
    fn refuses() {
        for bad in [
            "",
            "mama",
            "mama@",
            "@mail.ru",
            "mama@mail",
            "ma ma@mail.ru",
            "a@b@c.ru",
            "мама@mail.ru",
            "mama@mail..ru",
            "mama@.mail.ru",
            "mama@mail.ru.",
            "<mama@mail.ru>",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
        assert_eq!(normalize(&format!("{}@mail.ru", "a".repeat(250))), None);
    }

    #[test]
    fn masks() {
        assert_eq!(mask("petrova@mail.ru"), "p•••@mail.ru");
    }
}

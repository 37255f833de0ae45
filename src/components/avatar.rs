use leptos::prelude::*;
use stylers_macro::style;

/// Initials on a colour picked from the id, so the same person or chat keeps its colour.
#[component]
pub fn Avatar(
    /// Whose colour (a user or chat id).
    id: i64,
    /// The name the initials come from.
    #[prop(into)]
    name: String,
    /// A symbol to show instead of initials (a channel's megaphone).
    #[prop(default = None)]
    symbol: Option<&'static str>,
) -> impl IntoView {
    let class = style! {
        .avatar {
            flex: none;
            display: inline-grid;
            place-items: center;
            width: 2.75rem;
            height: 2.75rem;
            border-radius: 50%;
            font-weight: 700;
            color: #fff;
            text-transform: uppercase;
        }
        .c0 { background: #1f5fbf; }
        .c1 { background: #8a3ab9; }
        .c2 { background: #1b7a3a; }
        .c3 { background: #b4461a; }
        .c4 { background: #0f6f7a; }
        .c5 { background: #a3265a; }
    };
    let color = format!("avatar c{}", id.rem_euclid(6));
    let text = symbol.map(str::to_string).unwrap_or_else(|| initials(&name));
    view! { class=class, <span class=color aria-hidden="true">{text}</span> }
}

/// "Ольга Миронова" → "ОМ"; "5А" → "5А"; empty → "?". Upper-casing is left to CSS: Rust's
/// `to_uppercase` would ship Unicode case tables (~12 KB) in the wasm.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => "?".into(),
        [one] => one.chars().take(2).collect(),
        [first, .., last] => first.chars().take(1).chain(last.chars().take(1)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_first_and_last_word() {
        assert_eq!(initials("Ольга Миронова"), "ОМ");
        assert_eq!(initials("Анна Мария Петрова"), "АП");
        assert_eq!(initials("5А"), "5А");
        assert_eq!(initials("родители"), "ро");
        assert_eq!(initials("  "), "?");
    }
}

//! Three build steps for the app:
//! 1. stylers collects every component's scoped `style! {}` block into `target/stylers.css`
//!    (Trunk's post-build hook, `scripts/trunk-post-build.sh`, ships it with a content hash).
//! 2. The app's wasm keeps its relocations, for splitting it into chunks.
//! 3. The translation files `src/i18n/*.json` become a `Strings` struct with one field per key, so a
//!    missing or misspelt key is a compile error and a language lacking a key fails the build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

const LANGUAGES: [(&str, &str); 2] = [("RU", "src/i18n/ru.json"), ("EN", "src/i18n/en.json")];

/// `stylers::build` only collects `let x = style! {…}` statements of free functions; any other
/// `style!` still scopes its component's classes but its CSS never reaches the stylesheet, leaving that
/// component unstyled with no error. Fail the build instead.
fn check_style_blocks(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            check_style_blocks(&path);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            for (number, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.contains("style! {") && !code.starts_with("let class = style! {") {
                    panic!(
                        "{}:{}: write `let class = style! {{ … }};` in a free function: stylers \
                         skips any other form and the component would ship without its CSS",
                        path.display(),
                        number + 1
                    );
                }
            }
        }
    }
}

/// stylers names a component's class after the number of non-whitespace characters in its `style!`
/// block (`rand_class_from_seed`), so two blocks of the same length share a class and each component
/// gets the other's rules too (a list's padding, say). Its output keeps each block's rules together:
/// a class met again after another one is such a pair. Fail the build and say how to part them.
fn check_style_classes(css: &str) {
    let mut seen: Vec<&str> = Vec::new();
    let mut last = "";
    let mut rest = css;
    while let Some(at) = rest.find(".l-") {
        let name = &rest[at + 1..];
        let end = name
            .char_indices()
            .skip(2)
            .find(|&(_, c)| !(c == '-' || c.is_ascii_digit()))
            .map_or(name.len(), |(i, _)| i);
        let class = &name[..end];
        if !seen.contains(&class) {
            seen.push(class);
        } else if class != last {
            panic!(
                "two `style!` blocks share the class {class}: stylers derives it from a block's count of \
                 non-whitespace characters. Find the blocks with rules `.x.{class}` in target/stylers.css and \
                 change the length of one of them (a rule, a value)."
            );
        }
        last = class;
        rest = &name[end..];
    }
}

fn main() {
    // Without these, any change anywhere would rerun this script and relink the wasm.
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src");

    // Only the wasm build needs the stylesheet; host builds (clippy, tests) skip the noisy scan.
    if env::var("TARGET").is_ok_and(|t| t.starts_with("wasm32")) {
        // The app's wasm keeps the linker's relocations: wasm-split-cli needs them to move code into
        // chunks (src/chunks.rs, scripts/trunk-post-build.sh), and stops at «No linking section found»
        // without them. Only this binary: the QR worker and the tests are not split, and wasm-opt would
        // leave the relocations in them (13 times the worker's size).
        println!("cargo:rustc-link-arg-bin=parta=--emit-relocs");
        check_style_blocks(Path::new("src"));
        stylers::build(Some("target/stylers.css".to_string()));
        check_style_classes(&fs::read_to_string("target/stylers.css").unwrap_or_default());
    }

    let mut out = String::from(
        "/// Every string the app shows, in one language. Generated from `src/i18n/*.json`.\n\
         #[allow(dead_code)]\npub struct Strings {\n",
    );
    let tables: Vec<(&str, BTreeMap<String, String>)> = LANGUAGES
        .iter()
        .map(|(name, path)| {
            let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let table: BTreeMap<String, String> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            (*name, table)
        })
        .collect();
    let (_, reference) = &tables[0];
    for key in reference.keys() {
        assert!(
            key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "translation key {key:?} must be snake_case"
        );
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for (name, table) in &tables {
        let missing: Vec<_> = reference.keys().filter(|k| !table.contains_key(*k)).collect();
        let extra: Vec<_> = table.keys().filter(|k| !reference.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "translations {name}: missing {missing:?}, not in ru.json {extra:?}"
        );
        writeln!(out, "pub static {name}: Strings = Strings {{").unwrap();
        for (key, value) in table {
            writeln!(out, "    {key}: {value:?},").unwrap();
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("strings.rs");
    fs::write(dest, out).unwrap();
}

//! `api/openapi.json` is the published contract: it must match what the server generates.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[test]
fn the_committed_document_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/openapi.json");
    let generated = parta_server::openapi::json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "api/openapi.json differs from the document the server generates; \
         run `UPDATE_OPENAPI=1 cargo test -p parta-server --test openapi` and commit the result"
    );
}

#[test]
fn the_document_is_openapi_3_1_and_covers_the_contract() {
    let document: serde_json::Value = serde_json::from_str(&parta_server::openapi::json()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["version"], api::CONTRACT_VERSION);
    for (path, method) in [
        ("/api/v1/meta", "get"),
        ("/api/v1/auth/code", "post"),
        ("/api/v1/auth/session", "post"),
        ("/api/v1/auth/session", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/me/profile", "put"),
        ("/api/v1/chats", "get"),
        ("/api/v1/chats/{id}", "get"),
        ("/api/v1/chats/{id}/messages", "get"),
        ("/api/v1/chats/{id}/messages", "post"),
        ("/api/v1/chats/{id}/messages/{message_id}", "patch"),
        ("/api/v1/chats/{id}/messages/{message_id}", "delete"),
        ("/api/v1/chats/{id}/messages/{message_id}/reactions/{emoji}", "put"),
        ("/api/v1/chats/{id}/messages/{message_id}/reactions/{emoji}", "delete"),
        ("/api/v1/chats/{id}/read", "post"),
        ("/api/v1/chats/{id}/polls", "post"),
        ("/api/v1/chats/{id}/messages/{message_id}/vote", "put"),
        ("/api/v1/chats/{id}/messages/{message_id}/close", "post"),
        ("/api/v1/chats/{id}/messages/{message_id}/ack", "post"),
        ("/api/v1/chats/{id}/messages/{message_id}/acks", "get"),
        ("/api/v1/chats/{id}", "patch"),
        ("/api/v1/chats/{id}/members", "get"),
        ("/api/v1/chats/{id}/members", "post"),
        ("/api/v1/chats/{id}/members/{user_id}", "delete"),
        ("/api/v1/chats/{id}/leave", "post"),
        ("/api/v1/schools/{school_id}/people", "get"),
        ("/api/v1/schools/{school_id}/direct", "post"),
        ("/api/v1/schools/{school_id}/chats", "post"),
        ("/api/v1/schools/{school_id}/invite-targets", "get"),
        ("/api/v1/schools/{school_id}/invites", "get"),
        ("/api/v1/schools/{school_id}/invites", "post"),
        ("/api/v1/schools/{school_id}/invites/revoke-unused", "post"),
        ("/api/v1/schools/{school_id}/students/{student_id}/parent-invite", "post"),
        ("/api/v1/invites/{id}", "get"),
        ("/api/v1/invites/{id}/revoke", "post"),
        ("/api/v1/join/{key}", "get"),
        ("/api/v1/join/{key}", "post"),
        ("/api/v1/schools/{school_id}/join-requests", "get"),
        ("/api/v1/schools/{school_id}/join-requests/approve", "post"),
        ("/api/v1/join-requests/{id}/approve", "post"),
        ("/api/v1/join-requests/{id}/reject", "post"),
        ("/api/v1/me/join-requests", "get"),
        ("/api/v1/schools/{school_id}/teacher-verification", "post"),
        ("/api/v1/schools/{school_id}/teacher-verifications", "get"),
        ("/api/v1/teacher-verifications/{id}/approve", "post"),
        ("/api/v1/teacher-verifications/{id}/decline", "post"),
        ("/api/v1/schools/{school_id}/info", "get"),
        ("/api/v1/schools/{school_id}/info", "put"),
        ("/api/v1/schools/{school_id}/audit", "get"),
        ("/api/v1/schools/{school_id}/classes", "get"),
        ("/api/v1/schools/{school_id}/classes", "post"),
        ("/api/v1/schools/{school_id}/classes/bulk", "post"),
        ("/api/v1/classes/{id}", "patch"),
        ("/api/v1/classes/{id}", "delete"),
        ("/api/v1/classes/{id}/teachers/{user_id}", "put"),
        ("/api/v1/classes/{id}/teachers/{user_id}", "delete"),
        ("/api/v1/schools/{school_id}/year-end", "get"),
        ("/api/v1/schools/{school_id}/year-end", "post"),
        ("/api/v1/schools/{school_id}/roster", "get"),
        ("/api/v1/schools/{school_id}/people/{user_id}", "get"),
        ("/api/v1/schools/{school_id}/people/{user_id}", "delete"),
        ("/api/v1/schools/{school_id}/memberships/{membership_id}", "patch"),
        ("/api/v1/schools/{school_id}/admins/{user_id}", "put"),
        ("/api/v1/schools/{school_id}/admins/{user_id}", "delete"),
        ("/api/v1/schools/{school_id}/stats", "get"),
        ("/api/v1/events", "get"),
        ("/api/v1/dev/outbox", "get"),
        ("/api/v1/openapi.json", "get"),
    ] {
        assert!(document["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["csrf"]["name"], api::CSRF_HEADER);
}

fn document() -> Value {
    serde_json::from_str(&parta_server::openapi::json()).unwrap()
}

/// The schemas of every JSON request body, by name.
fn request_bodies(document: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for operations in document["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            if let Some(reference) =
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
            {
                names.insert(reference.rsplit('/').next().unwrap().to_string());
            }
        }
    }
    names
}

#[test]
fn every_reference_resolves() {
    let document = document();
    let mut references = Vec::new();
    collect_references(&document, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("{reference} is not local"));
        assert!(document.pointer(pointer).is_some(), "{reference} names nothing in the document");
    }
}

fn collect_references(value: &Value, references: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                references.push(reference.clone());
            }
            map.values().for_each(|value| collect_references(value, references));
        }
        Value::Array(values) => values.iter().for_each(|value| collect_references(value, references)),
        _ => {}
    }
}

#[test]
fn every_operation_has_its_own_id() {
    let document = document();
    let mut seen = BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no id"));
            assert!(seen.insert(id.to_string()), "{method} {path}: the id {id} is taken");
        }
    }
}

/// Strings of requests that are echoed back from an answer and compared with the server's own, never
/// stored: the year-end transfer's classes, as its preview named them.
const ECHOED: [&str; 2] = ["ClassTransfer.name", "ClassTransfer.becomes"];

#[test]
fn every_string_a_request_carries_states_its_limit() {
    let document = document();
    let mut unlimited = Vec::new();
    let mut seen = BTreeSet::new();
    for name in request_bodies(&document) {
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        strings_without_limits(&document, &schema, &name, &mut seen, &mut unlimited);
    }
    unlimited.retain(|at| !ECHOED.contains(&at.as_str()));
    assert!(unlimited.is_empty(), "strings with no maxLength, pattern, enum or format: {unlimited:?}");
}

fn strings_without_limits(
    document: &Value,
    schema: &Value,
    at: &str,
    seen: &mut BTreeSet<String>,
    unlimited: &mut Vec<String>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        if seen.insert(name.to_string()) {
            strings_without_limits(document, &document["components"]["schemas"][name], name, seen, unlimited);
        }
        return;
    }
    for combined in ["oneOf", "anyOf", "allOf"] {
        for variant in schema[combined].as_array().into_iter().flatten() {
            strings_without_limits(document, variant, at, seen, unlimited);
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(kind) => vec![kind.as_str()],
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let limited = ["maxLength", "pattern", "enum", "format"].iter().any(|key| schema.get(key).is_some());
    if types.contains(&"string") && !limited {
        unlimited.push(at.to_string());
    }
    if types.contains(&"array") {
        strings_without_limits(document, &schema["items"], &format!("{at}[]"), seen, unlimited);
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        strings_without_limits(document, property, &format!("{at}.{name}"), seen, unlimited);
    }
}

/// A request body as its Rust type reads it, written back: what a handler gets.
fn as_read(schema: &str, body: Value) -> Value {
    fn via<T: DeserializeOwned + Serialize>(body: Value) -> Value {
        serde_json::to_value(serde_json::from_value::<T>(body).unwrap()).unwrap()
    }
    match schema {
        "AddMembers" => via::<api::AddMembers>(body),
        "ApproveRequests" => via::<api::ApproveRequests>(body),
        "BulkClasses" => via::<api::BulkClasses>(body),
        "ChatChanges" => via::<api::ChatChanges>(body),
        "ChildDecision" => via::<api::ChildDecision>(body),
        "ChooseProfile" => via::<api::ChooseProfile>(body),
        "ClassChanges" => via::<api::ClassChanges>(body),
        "CodeRequest" => via::<api::CodeRequest>(body),
        "EditMessage" => via::<api::EditMessage>(body),
        "EmailCodeRequest" => via::<api::EmailCodeRequest>(body),
        "EmailSignIn" => via::<api::EmailSignIn>(body),
        "InviteCreate" => via::<api::InviteCreate>(body),
        "JoinBody" => via::<api::JoinBody>(body),
        "MembershipChange" => via::<api::MembershipChange>(body),
        "NewChat" => via::<api::NewChat>(body),
        "NewClass" => via::<api::NewClass>(body),
        "NewDirectChat" => via::<api::NewDirectChat>(body),
        "NewMessage" => via::<api::NewMessage>(body),
        "NewPoll" => via::<api::NewPoll>(body),
        "PinMessage" => via::<api::PinMessage>(body),
        "ProfileUpdate" => via::<api::ProfileUpdate>(body),
        "ReadUpTo" => via::<api::ReadUpTo>(body),
        "RevokeUnused" => via::<api::RevokeUnused>(body),
        "SchoolInfo" => via::<api::SchoolInfo>(body),
        "SetLogo" => via::<api::SetLogo>(body),
        "SignIn" => via::<api::SignIn>(body),
        "Vote" => via::<api::Vote>(body),
        "YearEnd" => via::<api::YearEnd>(body),
        other => panic!("{other} is a new request body: add it to `as_read`"),
    }
}

/// A value of the schema for serde to read: every property present, the first variant of a choice
/// that is not `null`.
fn example(document: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return example(document, &document["components"]["schemas"][name]);
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        let first = variants.iter().find(|variant| variant["type"] != "null").unwrap();
        return example(document, first);
    }
    if let Some(first) = schema["enum"].get(0) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds.iter().find(|kind| *kind != "null").and_then(Value::as_str).unwrap(),
        kind => kind.as_str().unwrap(),
    };
    match kind {
        "string" => json!("x"),
        "integer" => json!(1),
        "boolean" => json!(false),
        "array" => json!([]),
        "object" => {
            let properties = schema["properties"].as_object().into_iter().flatten();
            Value::Object(
                properties.map(|(name, property)| (name.clone(), example(document, property))).collect(),
            )
        }
        other => panic!("no example of {other}"),
    }
}

/// Free text: a string limited by its length alone (a pattern, format or enum says it is not).
fn is_free_text(schema: &Value) -> bool {
    schema.get("maxLength").is_some()
        && ["pattern", "enum", "format"].iter().all(|key| schema.get(key).is_none())
}

#[test]
fn every_free_text_field_is_cleaned_as_it_is_read() {
    const DIRTY: &str = " \u{202E}Родители\u{0}\r\n\tАдмин\u{1b}[31m ";
    let cleaned = [api::text::clean_line(DIRTY), api::text::clean_text(DIRTY)];
    let document = document();
    let mut checked = 0;
    for name in request_bodies(&document) {
        let schema = &document["components"]["schemas"][&name];
        let body = example(&document, schema);
        as_read(&name, body.clone());
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            let (dirty, read): (Value, fn(&Value) -> &Value) = if is_free_text(property) {
                (json!(DIRTY), |value| value)
            } else if is_free_text(&property["items"]) {
                (json!([DIRTY]), |value| &value[0])
            } else {
                continue;
            };
            let mut body = body.clone();
            body[field] = dirty;
            let kept = as_read(&name, body);
            let kept = read(&kept[field]).as_str().unwrap_or_default().to_string();
            assert!(cleaned.contains(&kept), "{name}.{field} keeps {kept:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} free-text fields found");
}

/// The patterns the document states for a phone number and a code take what the server takes, and
/// nothing else.
#[test]
fn the_phone_and_code_patterns_are_the_servers_own_rules() {
    let document = document();
    let schema = |name: &str, field: &str| {
        let pattern = document["components"]["schemas"][name]["properties"][field]["pattern"].as_str();
        regex::Regex::new(pattern.unwrap_or_else(|| panic!("{name}.{field} has no pattern"))).unwrap()
    };
    let phone = schema("SignIn", "phone");
    assert_eq!(phone.as_str(), schema("CodeRequest", "phone").as_str());
    let mut phones = vec![
        "+79001234567",
        "+7 (900) 123-45-67",
        "8 (495) 123-45-67",
        "8-900-123-45-67",
        "89001234567",
        "7 900 1234567",
        "9001234567",
        "  8 900 123 45 67  ",
        "8.900.123.45.67",
        "+7\u{a0}900\u{a0}1234567",
        "(900) 123–45–67",
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
        "+7 200 123-45-67",
        "7900123456",
        "+9001234567",
        "8\t900 123 45 67",
        "9001234567\n",
        "+ 7 900 123 45 67",
    ];
    let digits = ["79001234567", "89001234567", "9001234567", "4951234567", "7001234567", "69001234567"];
    let spaced: Vec<String> = digits
        .iter()
        .flat_map(|number| {
            ["", "+"]
                .map(|plus| format!("{plus}{}", number.chars().map(|c| format!("{c}-")).collect::<String>()))
        })
        .collect();
    phones.extend(spaced.iter().map(String::as_str));
    for input in phones {
        assert_eq!(phone.is_match(input), api::phone::normalize(input).is_some(), "{input:?}");
    }

    let code = schema("SignIn", "code");
    assert_eq!(code.as_str(), schema("EmailSignIn", "code").as_str());
    for (input, fits) in [
        ("123456", true),
        ("123 456", true),
        (" 12 34 56 ", true),
        ("12345", false),
        ("1234567", false),
        ("12345a", false),
    ] {
        assert_eq!(code.is_match(input), fits, "{input:?}");
    }
}

//! The limits the handlers enforce, written into the document from the very constants they check, so
//! that the contract says what the server accepts: a client generated from it refuses what the server
//! would, and a fuzzer generates requests that get past the first check.
//!
//! Free text is counted once cleaned (`api::text`), so a text the document allows is never too long
//! for the server; the server may take a longer raw text whose control characters it drops.

use utoipa::Modify;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{Array, ArrayItems, KnownFormat, Object, Schema, SchemaFormat};
use utoipa::openapi::{OpenApi, RefOr};

use crate::routes;

/// A Russian phone number in exactly the forms `api::phone::normalize` takes: `+7` or `7` or `8` and
/// ten digits, or the ten digits alone, the first of them 3, 4, 8 or 9; spaces, dashes, dots and
/// brackets anywhere between.
pub const PHONE: &str = concat!(
    r"^\s*(?:\+[ \u00a0\-‑–.()]*7|[ \u00a0\-‑–.()]*[78])?",
    r"[ \u00a0\-‑–.()]*[3489](?:[ \u00a0\-‑–.()]*[0-9]){9}[ \u00a0\-‑–.()]*\s*$",
);
/// A one-time code: six digits, spaces anywhere (people type «123 456»).
pub const CODE: &str = r"^\s*(?:[0-9]\s*){6}$";
/// An e-mail address as `api::email::normalize` takes it: printable ASCII without the characters mail
/// software quotes, one `@`, a domain with a dot.
pub const EMAIL: &str = r"^\s*[!#-'*+\-./0-9=?A-Z^-~]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\s*$";
/// A date, `YYYY-MM-DD`.
pub const DATE: &str = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$";
/// A message's or poll's client id.
pub const CLIENT_ID: &str = r"^[A-Za-z0-9_-]{8,64}$";
/// A token the server made: 24 random bytes, base64url (e-mail tickets, a child's confirmation link).
pub const TOKEN: &str = r"^[A-Za-z0-9_-]{32}$";
/// An invite key: a link's token, or a printed short code typed in any case, with spaces or a dash.
pub const INVITE_KEY: &str =
    r"^\s*(?:[A-Za-z0-9_-]{32}|[\s\-\u00a0]*(?:[2-9A-HJKMNP-Za-hjkmnp-z][\s\-\u00a0]*){8})\s*$";

pub struct Limits;

impl Modify for Limits {
    fn modify(&self, doc: &mut OpenApi) {
        use api::*;

        // Signing in.
        pattern(field(doc, "CodeRequest", "phone"), PHONE);
        pattern(field(doc, "SignIn", "phone"), PHONE);
        pattern(field(doc, "SignIn", "code"), CODE);
        for schema in ["EmailCodeRequest", "EmailSignIn"] {
            let email = field(doc, schema, "email");
            pattern(email, EMAIL);
            chars(email, 0, email::MAX_LENGTH);
        }
        pattern(field(doc, "EmailSignIn", "code"), CODE);
        pattern(field(doc, "ChooseProfile", "ticket"), TOKEN);
        for name in ["first_name", "last_name"] {
            chars(field(doc, "ProfileUpdate", name), 1, profile::NAME_MAX_CHARS);
        }
        pattern(field(doc, "ProfileUpdate", "birth_date"), DATE);

        // Chats and messages.
        for schema in ["NewChat", "ChatChanges"] {
            chars(field(doc, schema, "title"), 1, CHAT_TITLE_MAX_CHARS);
            chars(field(doc, schema, "description"), 0, CHAT_DESCRIPTION_MAX_CHARS);
        }
        pattern(field(doc, "NewMessage", "client_id"), CLIENT_ID);
        chars(field(doc, "NewMessage", "text"), 0, MESSAGE_MAX_CHARS);
        count(list(doc, "NewMessage", "attachments"), 0, MESSAGE_MAX_ATTACHMENTS);
        chars(field(doc, "EditMessage", "text"), 1, MESSAGE_MAX_CHARS);
        pattern(field(doc, "NewPoll", "client_id"), CLIENT_ID);
        chars(field(doc, "NewPoll", "question"), 1, POLL_QUESTION_MAX_CHARS);
        count(list(doc, "NewPoll", "options"), POLL_MIN_OPTIONS, POLL_MAX_OPTIONS);
        chars(items(list(doc, "NewPoll", "options")), 1, POLL_OPTION_MAX_CHARS);
        format(field(doc, "NewPoll", "closes_at"), KnownFormat::DateTime);
        count(list(doc, "Vote", "choices"), 0, POLL_MAX_OPTIONS);
        range(items(list(doc, "Vote", "choices")), 0, POLL_MAX_OPTIONS as i64 - 1);
        range(field(doc, "ReadUpTo", "message_id"), 1, i64::MAX);
        count(list(doc, "AddMembers", "user_ids"), 1, usize::MAX);

        // Invites and joining.
        chars(field(doc, "InviteCreate", "label"), 0, INVITE_LABEL_MAX_CHARS);
        range(field(doc, "InviteCreate", "max_uses"), 1, i64::from(INVITE_MAX_USES));
        pattern(variant_field(doc, "InviteExpiry", "on", "date"), DATE);
        chars(field(doc, "JoinBody", "child_name"), 0, CHILD_NAME_MAX_CHARS);

        // The administrator's screens.
        for schema in ["NewClass", "ClassChanges"] {
            chars(field(doc, schema, "name"), 1, crate::classes::CLASS_NAME_MAX_CHARS);
            range(field(doc, schema, "size"), 1, i64::from(CLASS_SIZE_MAX));
        }
        count(list(doc, "BulkClasses", "grades"), 1, usize::MAX);
        range(
            items(list(doc, "BulkClasses", "grades")),
            i64::from(*GRADES.start()),
            i64::from(*GRADES.end()),
        );
        count(list(doc, "BulkClasses", "letters"), 0, routes::classes::BULK_LETTERS_MAX);
        chars(items(list(doc, "BulkClasses", "letters")), 1, routes::classes::BULK_LETTER_MAX_CHARS);
        chars(field(doc, "SchoolInfo", "name"), 1, routes::school_admin::SCHOOL_NAME_MAX_CHARS);
        for name in
            ["short_name", "region", "municipality", "address", "phone", "email", "website", "journal_url"]
        {
            chars(field(doc, "SchoolInfo", name), 0, SCHOOL_FIELD_MAX_CHARS);
        }

        // Parameters.
        chars(parameter(doc, "/api/v1/search", "get", "q"), SEARCH_MIN_CHARS, SEARCH_MAX_CHARS);
        for method in ["put", "delete"] {
            let reaction = "/api/v1/chats/{id}/messages/{message_id}/reactions/{emoji}";
            one_of_values(parameter(doc, reaction, method, "emoji"), REACTIONS);
        }
        for method in ["get", "post"] {
            pattern(parameter(doc, "/api/v1/join/{key}", method, "key"), INVITE_KEY);
            pattern(parameter(doc, "/api/v1/child-confirmations/{token}", method, "token"), TOKEN);
        }
        let action = parameter(doc, "/api/v1/schools/{school_id}/audit", "get", "action");
        one_of_values(action, AuditAction::ALL.map(AuditAction::as_str));
    }
}

/// A property of a component, which must exist: a renamed field fails every test that builds the
/// document.
fn field<'a>(doc: &'a mut OpenApi, schema: &str, name: &str) -> &'a mut Object {
    plain(property(component(doc, schema), schema, name), schema, name)
}

/// An array property of a component.
fn list<'a>(doc: &'a mut OpenApi, schema: &str, name: &str) -> &'a mut Array {
    match property(component(doc, schema), schema, name) {
        Schema::Array(array) => array,
        _ => panic!("{schema}.{name} is not an array"),
    }
}

/// The items of an array.
fn items(array: &mut Array) -> &mut Object {
    match &mut array.items {
        ArrayItems::RefOrSchema(items) => match items.as_mut() {
            RefOr::T(Schema::Object(items)) => items,
            _ => panic!("the array's items are not a plain schema"),
        },
        ArrayItems::False => panic!("an array without items"),
    }
}

/// A property of the variant of a tagged enum (`oneOf` of objects) whose tag is `tag`.
fn variant_field<'a>(doc: &'a mut OpenApi, schema: &str, tag: &str, name: &str) -> &'a mut Object {
    let components = doc.components.as_mut().expect("the document has components");
    let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(schema) else {
        panic!("no oneOf schema {schema}");
    };
    let tagged = |object: &Object| {
        object.properties.values().any(|kind| {
            matches!(kind, RefOr::T(Schema::Object(kind))
                if kind.enum_values.as_deref() == Some(&[serde_json::Value::from(tag)]))
        })
    };
    let variant = one_of.items.iter_mut().find_map(|item| match item {
        RefOr::T(Schema::Object(object)) if tagged(object) => Some(object),
        _ => None,
    });
    let variant = variant.unwrap_or_else(|| panic!("{schema} has no variant {tag}"));
    plain(property(variant, schema, name), schema, name)
}

fn component<'a>(doc: &'a mut OpenApi, schema: &str) -> &'a mut Object {
    let components = doc.components.as_mut().expect("the document has components");
    match components.schemas.get_mut(schema) {
        Some(RefOr::T(Schema::Object(object))) => object,
        _ => panic!("no object schema {schema}"),
    }
}

fn property<'a>(object: &'a mut Object, schema: &str, name: &str) -> &'a mut Schema {
    match object.properties.get_mut(name) {
        Some(RefOr::T(property)) => property,
        _ => panic!("{schema} has no property {name}"),
    }
}

fn plain<'a>(schema: &'a mut Schema, owner: &str, name: &str) -> &'a mut Object {
    match schema {
        Schema::Object(object) => object,
        _ => panic!("{owner}.{name} is not a plain schema"),
    }
}

/// The schema of a parameter of an operation.
fn parameter<'a>(doc: &'a mut OpenApi, path: &str, method: &str, name: &str) -> &'a mut Object {
    let item = doc.paths.paths.get_mut(path).unwrap_or_else(|| panic!("no path {path}"));
    let operation: &mut Option<Operation> = match method {
        "get" => &mut item.get,
        "post" => &mut item.post,
        "put" => &mut item.put,
        "patch" => &mut item.patch,
        "delete" => &mut item.delete,
        _ => panic!("no method {method}"),
    };
    let parameters = operation.as_mut().and_then(|operation| operation.parameters.as_mut());
    let parameter = parameters
        .and_then(|parameters| parameters.iter_mut().find(|parameter| parameter.name == name))
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"));
    match parameter.schema.as_mut() {
        Some(RefOr::T(Schema::Object(object))) => object,
        _ => panic!("{method} {path}: {name} is not a plain schema"),
    }
}

/// Characters, `min` to `max`.
fn chars(object: &mut Object, min: usize, max: usize) {
    object.min_length = (min > 0).then_some(min);
    object.max_length = Some(max);
}

/// Items of an array, `min` to `max` (`usize::MAX`: no upper limit).
fn count(array: &mut Array, min: usize, max: usize) {
    array.min_items = (min > 0).then_some(min);
    array.max_items = (max < usize::MAX).then_some(max);
}

/// An integer from `min` to `max` (`i64::MAX`: no upper limit).
fn range(object: &mut Object, min: i64, max: i64) {
    object.minimum = Some(min.into());
    object.maximum = (max < i64::MAX).then(|| max.into());
}

fn pattern(object: &mut Object, pattern: &str) {
    object.pattern = Some(pattern.to_string());
}

fn format(object: &mut Object, format: KnownFormat) {
    object.format = Some(SchemaFormat::KnownFormat(format));
}

/// The same values for a parameter: an enum of what the server takes.
fn one_of_values(object: &mut Object, values: impl IntoIterator<Item = &'static str>) {
    object.enum_values = Some(values.into_iter().map(serde_json::Value::from).collect());
}

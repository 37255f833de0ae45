//! `api/openapi.json` is the published contract: it must match what the server generates.

use std::path::PathBuf;

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

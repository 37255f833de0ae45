//! The REST + WebSocket API, one module per feature.

pub mod acks;
pub mod auth;
pub mod chats;
pub mod child_confirmations;
pub mod class_requests;
pub mod classes;
pub mod dev;
pub mod events;
pub mod files;
pub mod invites;
pub mod join;
pub mod me;
pub mod members;
pub mod messages;
pub mod meta;
pub mod parent_invites;
pub mod people;
pub mod pins;
pub mod polls;
pub mod requests;
pub mod roster;
pub mod school_admin;
pub mod search;
pub mod stats;
pub mod verification;

use axum::Router;
use axum::routing::{delete, get, patch, post, put};

use crate::AppState;
use crate::error::AppError;

/// Every route of `/api/v1` (paths relative to it).
pub fn v1() -> Router<AppState> {
    Router::new()
        .route("/meta", get(meta::meta))
        .route("/openapi.json", get(meta::openapi))
        .route("/auth/code", post(auth::request_code))
        .route("/auth/session", get(auth::session).post(auth::sign_in).delete(auth::sign_out))
        .route("/auth/email/code", post(auth::request_email_code))
        .route("/auth/email/session", post(auth::email_sign_in))
        .route("/auth/email/profile", post(auth::choose_profile))
        .route("/me/child-confirmation", post(child_confirmations::resend))
        .route(
            "/child-confirmations/{token}",
            get(child_confirmations::show).post(child_confirmations::decide),
        )
        .route("/me", get(me::me))
        .route("/me/profile", put(me::update_profile))
        .route("/me/join-requests", get(requests::mine))
        .route("/me/files", get(files::mine))
        .route("/me/files/{id}", delete(files::forget))
        .route("/files", post(files::upload))
        .route("/files/{id}/{name}", get(files::download))
        .route("/chats", get(chats::list))
        .route("/search", get(search::search))
        .route("/chats/{id}", get(chats::chat).patch(chats::update))
        .route("/chats/{id}/members", get(members::list).post(members::add))
        .route("/chats/{id}/members/{user_id}", delete(members::remove))
        .route("/chats/{id}/leave", post(members::leave))
        .route("/chats/{id}/join", post(members::join))
        .route("/chats/{id}/pin", put(pins::pin).delete(pins::unpin))
        .route("/chats/{id}/messages", get(chats::messages).post(messages::send))
        .route("/chats/{id}/messages/{message_id}", patch(messages::edit).delete(messages::delete))
        .route(
            "/chats/{id}/messages/{message_id}/reactions/{emoji}",
            put(messages::react).delete(messages::unreact),
        )
        .route("/chats/{id}/messages/{message_id}/vote", put(polls::vote))
        .route("/chats/{id}/messages/{message_id}/close", post(polls::close))
        .route("/chats/{id}/messages/{message_id}/ack", post(acks::ack))
        .route("/chats/{id}/messages/{message_id}/acks", get(acks::list))
        .route("/chats/{id}/polls", post(polls::create))
        .route("/chats/{id}/read", post(messages::read))
        .route("/schools/{school_id}/people", get(people::list))
        .route("/schools/{school_id}/direct", post(chats::direct))
        .route("/schools/{school_id}/chats", post(chats::create))
        .route("/schools/{school_id}/invite-targets", get(invites::targets))
        .route("/schools/{school_id}/invites", get(invites::list).post(invites::create))
        .route("/schools/{school_id}/invites/revoke-unused", post(invites::revoke_unused))
        .route("/schools/{school_id}/students/{student_id}/parent-invite", post(invites::parent_invite))
        .route("/invites/{id}", get(invites::invite))
        .route("/invites/{id}/revoke", post(invites::revoke))
        .route("/join/{key}", get(join::preview).post(join::join))
        .route("/schools/{school_id}/join-requests", get(requests::list))
        .route("/schools/{school_id}/join-requests/approve", post(requests::approve_many))
        .route("/join-requests/{id}/approve", post(requests::approve))
        .route("/join-requests/{id}/reject", post(requests::reject))
        .route("/schools/{school_id}/teacher-verification", post(verification::request))
        .route("/schools/{school_id}/teacher-verifications", get(verification::list))
        .route("/schools/{school_id}/teacher-verifications/approve", post(verification::approve_many))
        .route("/teacher-verifications/{id}/approve", post(verification::approve))
        .route("/teacher-verifications/{id}/decline", post(verification::decline))
        .route("/schools/{school_id}/class-request", get(class_requests::mine).post(class_requests::request))
        .route("/schools/{school_id}/class-requests", get(class_requests::list))
        .route("/class-requests/{id}/decline", post(class_requests::decline))
        .route("/classes/{id}/parent-invites", post(parent_invites::class_parent_invites))
        .route("/schools/{school_id}/info", get(school_admin::info).put(school_admin::update_info))
        .route(
            "/schools/{school_id}/logo",
            get(school_admin::logo).put(school_admin::set_logo).delete(school_admin::remove_logo),
        )
        .route("/schools/{school_id}/audit", get(school_admin::audit_log))
        .route("/schools/{school_id}/classes", get(classes::list).post(classes::create))
        .route("/schools/{school_id}/classes/bulk", post(classes::bulk))
        .route("/classes/{id}", patch(classes::update).delete(classes::delete))
        .route(
            "/classes/{id}/teachers/{user_id}",
            put(classes::assign_teacher).delete(classes::unassign_teacher),
        )
        .route("/schools/{school_id}/year-end", get(classes::year_end).post(classes::transfer))
        .route("/schools/{school_id}/roster", get(roster::roster))
        .route("/schools/{school_id}/people/{user_id}", get(roster::person).delete(roster::remove))
        .route("/schools/{school_id}/memberships/{membership_id}", patch(roster::change_membership))
        .route("/schools/{school_id}/admins/{user_id}", put(roster::appoint).delete(roster::dismiss))
        .route("/schools/{school_id}/stats", get(stats::stats))
        .route("/events", get(events::events))
        .route("/dev/outbox", get(dev::outbox))
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

//! The OpenAPI 3.1 document of the contract, generated from the handlers and the `api` types.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

mod limits;

use limits::Limits;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Parta API",
        description = "The REST + WebSocket contract between the Parta web app and any backend. \
            Errors always have the `ApiError` shape. State-changing requests need the `x-parta-csrf` \
            header (any non-empty value) and, from a browser, an allowed `Origin`. Times are RFC 3339, \
            dates `YYYY-MM-DD`.",
    ),
    paths(
        routes::meta::meta,
        routes::meta::openapi,
        routes::auth::request_code,
        routes::auth::session,
        routes::auth::sign_in,
        routes::auth::sign_out,
        routes::auth::request_email_code,
        routes::auth::email_sign_in,
        routes::auth::choose_profile,
        routes::me::me,
        routes::me::update_profile,
        routes::child_confirmations::resend,
        routes::child_confirmations::show,
        routes::child_confirmations::decide,
        routes::chats::list,
        routes::chats::chat,
        routes::chats::messages,
        routes::chats::create,
        routes::chats::direct,
        routes::chats::update,
        routes::pins::pin,
        routes::pins::unpin,
        routes::search::search,
        routes::members::list,
        routes::members::add,
        routes::members::remove,
        routes::members::leave,
        routes::members::join,
        routes::people::list,
        routes::messages::send,
        routes::messages::edit,
        routes::messages::delete,
        routes::messages::react,
        routes::messages::unreact,
        routes::messages::read,
        routes::polls::create,
        routes::polls::vote,
        routes::polls::close,
        routes::acks::ack,
        routes::acks::list,
        routes::files::upload,
        routes::files::download,
        routes::files::mine,
        routes::files::forget,
        routes::invites::targets,
        routes::invites::create,
        routes::invites::list,
        routes::invites::invite,
        routes::invites::revoke,
        routes::invites::revoke_unused,
        routes::invites::parent_invite,
        routes::parent_invites::class_parent_invites,
        routes::join::preview,
        routes::join::join,
        routes::requests::list,
        routes::requests::approve,
        routes::requests::reject,
        routes::requests::approve_many,
        routes::requests::mine,
        routes::verification::request,
        routes::verification::list,
        routes::verification::approve,
        routes::verification::approve_many,
        routes::verification::decline,
        routes::class_requests::request,
        routes::class_requests::mine,
        routes::class_requests::list,
        routes::class_requests::decline,
        routes::school_admin::info,
        routes::school_admin::update_info,
        routes::school_admin::logo,
        routes::school_admin::set_logo,
        routes::school_admin::remove_logo,
        routes::school_admin::audit_log,
        routes::classes::list,
        routes::classes::create,
        routes::classes::bulk,
        routes::classes::update,
        routes::classes::delete,
        routes::classes::assign_teacher,
        routes::classes::unassign_teacher,
        routes::classes::year_end,
        routes::classes::transfer,
        routes::roster::roster,
        routes::roster::person,
        routes::roster::change_membership,
        routes::roster::remove,
        routes::roster::appoint,
        routes::roster::dismiss,
        routes::stats::stats,
        routes::events::events,
        routes::dev::outbox,
    ),
    components(schemas(api::ClientEvent)),
    modifiers(&Contract, &Limits),
    tags(
        (name = "meta", description = "What the backend offers"),
        (name = "auth", description = "Signing in with a one-time code sent to a phone number, or for a young student to a parent's e-mail"),
        (name = "me", description = "The person signed in and their educational profile"),
        (name = "chats", description = "Chats, channels and their timelines"),
        (name = "files", description = "Files attached to messages, and «Мои файлы»"),
        (name = "invites", description = "Invite links to a school, a class or a chat (capability `invites`)"),
        (name = "join", description = "Opening an invite link and joining through it"),
        (name = "join requests", description = "Requests to join waiting for an administrator or the class teacher"),
        (name = "teacher verification", description = "Confirming a teacher's «учитель» status, and a teacher's request for a class"),
        (name = "school administration", description = "The administrator's screens: the school's information, classes, people, statistics, the audit log and the year-end transfer"),
        (name = "events", description = "Live events over a WebSocket"),
        (name = "dev", description = "Development and test helpers (capability `dev_outbox`)"),
    ),
)]
struct ApiDoc;

/// What the derive cannot say: the contract's version and how requests authenticate.
struct Contract;

impl Modify for Contract {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.info.version = api::CONTRACT_VERSION.to_string();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "parta_session",
                "Set by `POST /auth/session`; named `__Host-parta_session` when served over https.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                api::CSRF_HEADER,
                "Required (any non-empty value) on every POST, PUT, PATCH and DELETE.",
            ))),
        );
    }
}

/// The document as committed in `api/openapi.json`: pretty JSON with a trailing newline.
pub fn json() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document always serialises");
    json.push('\n');
    json
}

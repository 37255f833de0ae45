//! The people of a school the person may write to, or bring into a chat ([`crate::contacts`]).

use std::collections::HashSet;

use api::{ApiError, Contact};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::me::require_complete_profile;
use crate::AppState;
use crate::access::Standing;
use crate::auth::session::Session;
use crate::contacts;
use crate::error::AppError;
use crate::extract;
use crate::timeline;

/// `?for=direct`, or `?for=chat&chat_id=`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// What the people are for: a 1:1 with them, or adding them to the chat `chat_id`.
    #[serde(rename = "for")]
    #[param(inline)]
    purpose: Purpose,
    /// With `for=chat`: the chat to add people to.
    chat_id: Option<i64>,
}

#[derive(Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Direct,
    Chat,
}

/// People of the school, by name: with `for=direct` those the person may start a 1:1 with (safe mode,
/// see `Contact`); with `for=chat&chat_id=` those a manager of that chat may add to it and who are not
/// in it yet (administrators: anyone of the school; other managers: the people of the chat's class
/// and the school's staff). Never the person themselves.
#[utoipa::path(
    get,
    path = "/api/v1/schools/{school_id}/people",
    operation_id = "list_people",
    tag = "chats",
    params(("school_id" = i64, Path, description = "School id"), PeopleQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The people, by name", body = Vec<Contact>),
        (status = 400, description = "`bad_request`: a bad id, `for` missing or unknown, `for=chat` without `chat_id`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`, or `forbidden`: `for=chat` for a chat the person does not manage, or a channel", body = ApiError),
        (status = 404, description = "`not_found`: no such school or the person is not a member; `for=chat`: no such chat in the school, or the person is not in it", body = ApiError),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    extract::Path(school_id): extract::Path<i64>,
    extract::Query(query): extract::Query<PeopleQuery>,
) -> Result<Json<Vec<Contact>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let mut conn = state.db.acquire().await?;
    let standing = Standing::load(&mut *conn, school_id, session.user_id).await?;
    let ids = match (query.purpose, query.chat_id) {
        (Purpose::Direct, _) => contacts::direct_ids(&mut conn, &standing).await?,
        (Purpose::Chat, None) => return Err(AppError::BadRequest("for=chat needs a chat_id".into())),
        (Purpose::Chat, Some(chat_id)) => {
            let access = timeline::access(&mut conn, chat_id, session.user_id).await?;
            if access.school_id != school_id {
                return Err(AppError::NotFound);
            }
            access.require_adding()?;
            let members: HashSet<i64> = timeline::member_ids(&mut conn, chat_id).await?.into_iter().collect();
            let candidates = contacts::candidate_ids(&mut conn, &standing, access.class_id).await?;
            candidates.into_iter().filter(|id| !members.contains(id)).collect()
        }
    };
    Ok(Json(contacts::contacts(&mut conn, school_id, &ids).await?))
}

//! Searching messages: in the person's chats, or in one of them, through the `messages_fts` index.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use api::{ApiError, FieldProblem, SEARCH_MAX_CHARS, SEARCH_MAX_HITS, SEARCH_MIN_CHARS, SearchHit};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::chats::summary;
use super::me::require_complete_profile;
use super::messages::field;
use crate::AppState;
use crate::auth::session::Session;
use crate::error::AppError;
use crate::extract;
use crate::timeline::{self, View};

/// `?q=` and, to search one chat, `&chat_id=`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words to find, cleaned as one line (`api::text`).
    #[serde(deserialize_with = "api::text::line")]
    q: String,
    /// Only this chat (one the person is in).
    chat_id: Option<i64>,
}

/// An FTS5 query with every word of `text` as a prefix, quoted so that nothing a person types is read
/// as the query language; `None` without a word.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Messages with every word of `q`, newest first (see `SearchHit`).
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "chats",
    params(SearchQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The messages found, newest first", body = Vec<SearchHit>),
        (status = 400, description = "`bad_request`: `q` missing or a bad `chat_id`", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: `chat_id` names no chat of the person", body = ApiError),
        (status = 422, description = "`validation`: `q` (`required`: no word; `too_long`)", body = ApiError),
    ),
)]
pub async fn search(
    State(state): State<AppState>,
    session: Session,
    extract::Query(query): extract::Query<SearchQuery>,
) -> Result<Json<Vec<SearchHit>>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let text = query.q.trim();
    let length = text.chars().count();
    if length > SEARCH_MAX_CHARS {
        return Err(AppError::Validation(vec![field("q", FieldProblem::TooLong)]));
    }
    let Some(matching) = fts_query(text).filter(|_| length >= SEARCH_MIN_CHARS) else {
        return Err(AppError::Validation(vec![field("q", FieldProblem::Required)]));
    };
    let mut conn = state.db.acquire().await?;
    if let Some(chat_id) = query.chat_id {
        timeline::access(&mut conn, chat_id, session.user_id).await?;
    }
    let found: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT m.chat_id, m.id FROM messages_fts
         JOIN messages m ON m.id = messages_fts.rowid
         JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = ?1
         WHERE messages_fts MATCH ?2 AND m.deleted_at IS NULL AND m.kind IN ('text', 'poll')
           AND (?3 IS NULL OR m.chat_id = ?3)
         ORDER BY m.id DESC
         LIMIT ?4",
    )
    .bind(session.user_id)
    .bind(&matching)
    .bind(query.chat_id)
    .bind(SEARCH_MAX_HITS as i64)
    .fetch_all(&mut *conn)
    .await?;
    let view = View::of(session.user_id, state.clock.unix());
    let mut titles: HashMap<i64, String> = HashMap::new();
    let mut hits = Vec::with_capacity(found.len());
    for (chat_id, id) in found {
        if let Entry::Vacant(title) = titles.entry(chat_id) {
            title.insert(summary(&mut conn, session.user_id, chat_id).await?.title);
        }
        let message = timeline::one(&mut conn, chat_id, id, view).await?;
        hits.push(SearchHit { chat_id, chat_title: titles[&chat_id].clone(), message });
    }
    Ok(Json(hits))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn every_word_is_a_quoted_prefix_and_nothing_is_query_language() {
        assert_eq!(fts_query("собрание в среду").as_deref(), Some(r#""собрание"* "в"* "среду"*"#));
        assert_eq!(fts_query("  NEAR(a b) OR \"c\" * ").as_deref(), Some(r#""NEAR"* "a"* "b"* "OR"* "c"*"#));
        assert_eq!(fts_query("5А, 7-Б").as_deref(), Some(r#""5А"* "7"* "Б"*"#));
        assert_eq!(fts_query(" ?! -- ").as_deref(), None);
    }
}

//! Polls: asking, voting, closing. A poll is a message of kind `poll` whose text is the question, with
//! its options and votes beside it ([`crate::timeline`] puts them together). Like every change to a
//! message, each one is stored with its event and published to the chat's members, the same payload for
//! all: `my_choices` only ever fills the answer to the person who asked.

use std::collections::HashSet;

use api::{
    ApiError, FieldError, FieldProblem, Message, NewPoll, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS,
    POLL_OPTION_MAX_CHARS, POLL_QUESTION_MAX_CHARS, ServerEvent, Vote,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;

use super::me::require_complete_profile;
use super::messages::{client_id_problem, field, publish_new, publish_update, sent_before};
use crate::AppState;
use crate::auth::session::Session;
use crate::clock::parse_rfc3339;
use crate::db;
use crate::error::AppError;
use crate::event_log::{self, Audience};
use crate::extract;
use crate::timeline::{self, View};

/// Asks a poll. Whoever may post in the chat may ask; the same `client_id` again (after a lost answer)
/// returns the poll already made, with 200 instead of 201, and announces nothing a second time.
///
/// The question and options are stored without surrounding spaces. As for a message, the author's read
/// position moves to it (`chat_read` to the author) and every member gets `message_created`.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/polls",
    operation_id = "create_poll",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id")),
    request_body = NewPoll,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The poll was asked: a message of kind `poll`", body = Message),
        (status = 200, description = "A poll with this `client_id` was already asked: here it is", body = Message),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`cannot_post`: a channel's reader, not a manager where only managers post, or a chat of an archived class; `profile_incomplete`; `child_not_confirmed`: a young student whom no parent confirmed yet", body = ApiError),
        (status = 404, description = "`not_found`: no such chat, or the person is not a member", body = ApiError),
        (status = 422, description = "`validation`: `client_id` (`required`, `too_long`, `invalid_characters`), `question` (`required`, `too_long`), `options` (`out_of_range`: fewer than 2 or more than 10), `options.N` (counting from 0: `required`, `too_long`, `not_allowed`: the same as an earlier one), `closes_at` (`invalid_date`: not RFC 3339, `out_of_range`: not in the future)", body = ApiError),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    extract::Path(chat_id): extract::Path<i64>,
    extract::Json(new): extract::Json<NewPoll>,
) -> Result<(StatusCode, Json<Message>), AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, user_id).await?;
    if !access.can_post {
        return Err(AppError::CannotPost);
    }
    let poll = validate(&new, now).map_err(AppError::Validation)?;
    if let Some(message) = sent_before(&mut tx, chat_id, user_id, &new.client_id, now).await? {
        return Ok((StatusCode::OK, Json(message)));
    }

    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (chat_id, author_id, kind, body, created_at, client_id)
         VALUES (?, ?, 'poll', ?, ?, ?) RETURNING id",
    )
    .bind(chat_id)
    .bind(user_id)
    .bind(&poll.question)
    .bind(now)
    .bind(&new.client_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO polls (message_id, multiple, anonymous, closes_at) VALUES (?, ?, ?, ?)")
        .bind(id)
        .bind(new.multiple)
        .bind(new.anonymous)
        .bind(poll.closes_at)
        .execute(&mut *tx)
        .await?;
    for (idx, text) in poll.options.iter().enumerate() {
        sqlx::query("INSERT INTO poll_options (message_id, idx, text) VALUES (?, ?, ?)")
            .bind(id)
            .bind(idx as i64)
            .bind(text)
            .execute(&mut *tx)
            .await?;
    }
    let message = publish_new(&state, tx, chat_id, user_id, id, now).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Votes in a poll: the person's choices replace their earlier ones, and none takes the vote back. Every
/// member who reads the chat may vote, channel readers too. Every member gets `message_updated` (with
/// `my_choices` empty); the same choices again change nothing.
#[utoipa::path(
    put,
    path = "/api/v1/chats/{id}/messages/{message_id}/vote",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id of the poll")),
    request_body = Vote,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The poll as it is now, with the person's `my_choices`", body = Message),
        (status = 400, description = "`bad_request`: a bad id or body", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`cannot_post`: a chat of an archived class; `profile_incomplete`; `child_not_confirmed`: a young student whom no parent confirmed yet", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or poll (a message that is not one, or deleted), or the person is not a member", body = ApiError),
        (status = 409, description = "`poll_closed`: closed by its author or a moderator, or its `closes_at` passed", body = ApiError),
        (status = 422, description = "`validation`: `choices` (`not_allowed`: an index out of range or given twice, or more than one in a poll that is not `multiple`)", body = ApiError),
    ),
)]
pub async fn vote(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
    extract::Json(vote): extract::Json<Vote>,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    crate::young::require_confirmed(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    timeline::access(&mut tx, chat_id, user_id).await?.require_writable()?;
    let poll = stored_poll(&mut tx, chat_id, message_id).await?;
    if poll.closed(now) {
        return Err(AppError::PollClosed);
    }
    if !choices_allowed(&vote.choices, poll.option_count, poll.multiple) {
        return Err(AppError::Validation(vec![field("choices", FieldProblem::NotAllowed)]));
    }

    let chosen: Vec<u32> =
        sqlx::query_scalar("SELECT idx FROM poll_votes WHERE message_id = ? AND user_id = ? ORDER BY rowid")
            .bind(message_id)
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
    // Options kept keep their place in the order people chose them.
    let dropped: Vec<u32> = chosen.iter().copied().filter(|idx| !vote.choices.contains(idx)).collect();
    let added: Vec<u32> = vote.choices.iter().copied().filter(|idx| !chosen.contains(idx)).collect();
    if dropped.is_empty() && added.is_empty() {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(user_id, now)).await?));
    }
    for idx in dropped {
        sqlx::query("DELETE FROM poll_votes WHERE message_id = ? AND user_id = ? AND idx = ?")
            .bind(message_id)
            .bind(user_id)
            .bind(idx)
            .execute(&mut *tx)
            .await?;
    }
    for idx in added {
        sqlx::query("INSERT INTO poll_votes (message_id, user_id, idx, created_at) VALUES (?, ?, ?, ?)")
            .bind(message_id)
            .bind(user_id)
            .bind(idx)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(Json(publish_update(&state, tx, chat_id, message_id, user_id, now).await?))
}

/// Closes a poll before (or without) its `closes_at`: its author may, and so may the chat's moderators
/// (`Chat::can_moderate`). Every member gets `message_updated`; closing a closed poll changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/chats/{id}/messages/{message_id}/close",
    tag = "chats",
    params(("id" = i64, Path, description = "Chat id"), ("message_id" = i64, Path, description = "Message id of the poll")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The poll as it is now: `closed`", body = Message),
        (status = 400, description = "`bad_request`: a bad id", body = ApiError),
        (status = 401, description = "`unauthenticated`", body = ApiError),
        (status = 403, description = "`forbidden`: someone else's poll and the person does not moderate the chat; `cannot_post`: a chat of an archived class; `profile_incomplete`", body = ApiError),
        (status = 404, description = "`not_found`: no such chat or poll (a message that is not one, or deleted), or the person is not a member", body = ApiError),
    ),
)]
pub async fn close(
    State(state): State<AppState>,
    session: Session,
    extract::Path((chat_id, message_id)): extract::Path<(i64, i64)>,
) -> Result<Json<Message>, AppError> {
    require_complete_profile(&state.db, session.user_id).await?;
    let user_id = session.user_id;
    let now = state.clock.unix();
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let access = timeline::access(&mut tx, chat_id, user_id).await?;
    access.require_writable()?;
    let poll = stored_poll(&mut tx, chat_id, message_id).await?;
    if poll.author_id != Some(user_id) && !access.can_moderate {
        return Err(AppError::Forbidden);
    }
    if poll.closed(now) {
        return Ok(Json(timeline::one(&mut tx, chat_id, message_id, View::of(user_id, now)).await?));
    }
    sqlx::query("UPDATE polls SET closed_at = ? WHERE message_id = ?")
        .bind(now)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    Ok(Json(publish_update(&state, tx, chat_id, message_id, user_id, now).await?))
}

/// Closes the polls whose `closes_at` has passed (those that passed while the server was down too),
/// each exactly once, and tells every member of their chats with the same `message_updated` a manual
/// close sends: without it a poll open on someone's screen would go on offering a vote the server
/// refuses. Run every few seconds by the server (`parta-server serve`). Returns how many it closed.
pub async fn close_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.unix();
    // Almost always nothing is due: a read says so without taking the write lock (and the event
    // order) from the people writing every few seconds.
    let any_due: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM polls WHERE closed_at IS NULL AND closes_at <= ?)")
            .bind(now)
            .fetch_one(&state.db)
            .await?;
    if !any_due {
        return Ok(0);
    }
    let _order = state.event_order.lock().await;
    let mut tx = db::begin_write(&state.db).await?;
    let due: Vec<(i64, i64, i64, bool)> = sqlx::query_as(
        "SELECT p.message_id, m.chat_id, p.closes_at, m.deleted_at IS NOT NULL
         FROM polls p JOIN messages m ON m.id = p.message_id
         WHERE p.closed_at IS NULL AND p.closes_at <= ?
         ORDER BY p.closes_at, p.message_id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut events = event_log::Pending::default();
    for &(message_id, chat_id, closes_at, deleted) in &due {
        // Closed when the deadline passed, not when this noticed it.
        sqlx::query("UPDATE polls SET closed_at = ? WHERE message_id = ?")
            .bind(closes_at)
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        if deleted {
            continue;
        }
        let message = timeline::one(&mut tx, chat_id, message_id, View::everyone(now)).await?;
        let frame = event_log::record(&mut tx, Audience::Chat(chat_id), now, |seq| {
            ServerEvent::MessageUpdated { seq, message: timeline::for_everyone(&message) }
        })
        .await?;
        events.push(frame, timeline::member_ids(&mut tx, chat_id).await?);
    }
    tx.commit().await?;
    events.publish(&state.hub);
    Ok(due.len())
}

/// A poll as stored, for deciding who may vote and close.
#[derive(sqlx::FromRow)]
struct StoredPoll {
    author_id: Option<i64>,
    multiple: bool,
    closes_at: Option<i64>,
    closed_at: Option<i64>,
    option_count: u32,
}

impl StoredPoll {
    fn closed(&self, now: i64) -> bool {
        self.closed_at.is_some() || self.closes_at.is_some_and(|at| at <= now)
    }
}

/// The poll of the chat; `not_found` for any other message, and once it is deleted.
async fn stored_poll(
    conn: &mut SqliteConnection,
    chat_id: i64,
    message_id: i64,
) -> Result<StoredPoll, AppError> {
    sqlx::query_as(
        "SELECT m.author_id, p.multiple, p.closes_at, p.closed_at,
                (SELECT COUNT(*) FROM poll_options o WHERE o.message_id = p.message_id) AS option_count
         FROM polls p JOIN messages m ON m.id = p.message_id
         WHERE p.message_id = ? AND m.chat_id = ? AND m.deleted_at IS NULL",
    )
    .bind(message_id)
    .bind(chat_id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// A [`NewPoll`] that passed validation, trimmed.
#[derive(Debug, PartialEq, Eq)]
struct ValidPoll {
    question: String,
    options: Vec<String>,
    /// Unix seconds.
    closes_at: Option<i64>,
}

/// Every problem of the poll, or the poll ready to store.
fn validate(new: &NewPoll, now: i64) -> Result<ValidPoll, Vec<FieldError>> {
    let mut problems = Vec::new();
    if let Some(problem) = client_id_problem(&new.client_id) {
        problems.push(field("client_id", problem));
    }
    let question = new.question.trim();
    if question.is_empty() {
        problems.push(field("question", FieldProblem::Required));
    } else if question.chars().count() > POLL_QUESTION_MAX_CHARS {
        problems.push(field("question", FieldProblem::TooLong));
    }
    if !(POLL_MIN_OPTIONS..=POLL_MAX_OPTIONS).contains(&new.options.len()) {
        problems.push(field("options", FieldProblem::OutOfRange));
    }
    let options: Vec<String> = new.options.iter().map(|option| option.trim().to_string()).collect();
    let mut seen = HashSet::new();
    for (idx, option) in options.iter().enumerate() {
        let problem = if option.is_empty() {
            Some(FieldProblem::Required)
        } else if option.chars().count() > POLL_OPTION_MAX_CHARS {
            Some(FieldProblem::TooLong)
        } else if !seen.insert(option.as_str()) {
            Some(FieldProblem::NotAllowed)
        } else {
            None
        };
        if let Some(problem) = problem {
            problems.push(field(&format!("options.{idx}"), problem));
        }
    }
    let closes_at = match new.closes_at.as_deref() {
        None => None,
        Some(text) => match parse_rfc3339(text) {
            None => {
                problems.push(field("closes_at", FieldProblem::InvalidDate));
                None
            }
            Some(at) if at <= now => {
                problems.push(field("closes_at", FieldProblem::OutOfRange));
                None
            }
            Some(at) => Some(at),
        },
    };
    if problems.is_empty() {
        Ok(ValidPoll { question: question.to_string(), options, closes_at })
    } else {
        Err(problems)
    }
}

/// Whether `choices` name options of a poll with `option_count` options, each once, and only one unless
/// the poll is `multiple`. None is allowed: it takes the vote back.
fn choices_allowed(choices: &[u32], option_count: u32, multiple: bool) -> bool {
    let distinct: HashSet<u32> = choices.iter().copied().collect();
    distinct.len() == choices.len()
        && choices.iter().all(|&idx| idx < option_count)
        && (multiple || choices.len() <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll(question: &str, options: &[&str], closes_at: Option<&str>) -> NewPoll {
        NewPoll {
            client_id: "poll-0001".into(),
            question: question.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            multiple: false,
            anonymous: false,
            closes_at: closes_at.map(Into::into),
        }
    }

    fn problems(new: &NewPoll, now: i64) -> Vec<(String, FieldProblem)> {
        validate(new, now).unwrap_err().into_iter().map(|f| (f.field, f.problem)).collect()
    }

    #[test]
    fn a_valid_poll_is_trimmed() {
        let valid =
            validate(&poll(" Когда? ", &[" Утром", "Вечером "], Some("2026-12-01T10:00:00+03:00")), 0);
        assert_eq!(
            valid,
            Ok(ValidPoll {
                question: "Когда?".into(),
                options: vec!["Утром".into(), "Вечером".into()],
                closes_at: Some(1_796_108_400),
            })
        );
    }

    #[test]
    fn options_are_counted_named_and_distinct() {
        let one = poll("Когда?", &["Утром"], None);
        assert_eq!(problems(&one, 0), [("options".into(), FieldProblem::OutOfRange)]);
        let eleven: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
        assert_eq!(
            problems(&poll("Когда?", &eleven, None), 0),
            [("options".into(), FieldProblem::OutOfRange)]
        );
        let long = "я".repeat(POLL_OPTION_MAX_CHARS + 1);
        assert_eq!(
            problems(&poll("Когда?", &["Да", " ", "да", "Да ", &long], None), 0),
            [
                ("options.1".into(), FieldProblem::Required),
                ("options.3".into(), FieldProblem::NotAllowed),
                ("options.4".into(), FieldProblem::TooLong),
            ]
        );
    }

    #[test]
    fn the_deadline_is_an_rfc_3339_time_to_come() {
        let at = |text: &str, now| problems(&poll("Когда?", &["Да", "Нет"], Some(text)), now);
        assert_eq!(at("завтра", 0), [("closes_at".into(), FieldProblem::InvalidDate)]);
        assert_eq!(at("2026-12-01", 0), [("closes_at".into(), FieldProblem::InvalidDate)]);
        assert_eq!(at("1970-01-01T00:01:40Z", 100), [("closes_at".into(), FieldProblem::OutOfRange)]);
        assert!(validate(&poll("Когда?", &["Да", "Нет"], Some("1970-01-01T00:01:41Z")), 100).is_ok());
    }

    #[test]
    fn choices_name_options_once() {
        assert!(choices_allowed(&[], 2, false));
        assert!(choices_allowed(&[1], 2, false));
        assert!(!choices_allowed(&[0, 1], 2, false));
        assert!(choices_allowed(&[1, 0], 2, true));
        assert!(!choices_allowed(&[1, 1], 2, true));
        assert!(!choices_allowed(&[2], 2, true));
    }
}

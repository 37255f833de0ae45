//! `parta-server fill-chat`: a long, realistic history in one chat, for tests, demos and the benchmark.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::SqlitePool;

const DAY: i64 = 24 * 3600;

/// How far back the filled-in history starts (at most): long enough for date separators to appear.
const SPAN_SECONDS: i64 = 14 * DAY;

#[derive(Debug, thiserror::Error)]
pub enum FillError {
    #[error("there is no chat with id {0}")]
    NoSuchChat(i64),
    #[error("chat {0} has no members who may post: nobody could have written its messages")]
    NoAuthors(i64),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Openings, bodies and endings that make up the messages, as a school's chat sounds.
const OPENINGS: &[&str] = &[
    "Добрый день!",
    "Коллеги,",
    "Уважаемые родители!",
    "Ребята,",
    "Здравствуйте!",
    "Подскажите, пожалуйста,",
    "Напоминаю:",
    "Спасибо!",
    "",
    "",
];
const BODIES: &[&str] = &[
    "завтра первый урок начинается в 8:30",
    "домашнее задание по математике: № 245, 247 и 251 на странице 68",
    "в пятницу классный час переносится на 6-й урок",
    "кто сможет подменить на 4-м уроке в четверг?",
    "экскурсия в краеведческий музей в субботу, сбор у школы в 9:30, с собой сменная обувь",
    "родительское собрание в среду в 18:00 в кабинете 214",
    "не забудьте дневники и сменную обувь",
    "контрольная работа по русскому языку перенесена на вторник",
    "результаты олимпиады вывешены на стенде у учительской",
    "прошу до пятницы подтвердить участие ребёнка",
    "в столовой с понедельника новое меню",
    "кто знает, что задали по английскому?",
    "библиотека работает до 16:00, учебники можно сдать до конца недели",
    "медосмотр для 5-х классов во вторник на втором уроке",
    "на физкультуру нужна спортивная форма, урок будет на улице",
];
const ENDINGS: &[&str] = &[
    "",
    "",
    "",
    "Спасибо!",
    "Хорошего дня.",
    "Будем.",
    "Подтверждаю.",
    "Вопросы — в личные сообщения.",
    "👍",
];

/// A message of 1 to ~600 characters: mostly one line, sometimes a few sentences, now and then a list.
fn text(rng: &mut StdRng) -> String {
    let pick = |rng: &mut StdRng, list: &[&'static str]| list[rng.gen_range(0..list.len())];
    match rng.gen_range(0..10) {
        0 => pick(rng, &["Да", "Нет", "Спасибо!", "Хорошо", "Принято", "👍", "Понял", "Сейчас посмотрю"])
            .to_string(),
        1 => {
            let items: Vec<String> =
                (1..=rng.gen_range(3..6)).map(|n| format!("{n}. {}", pick(rng, BODIES))).collect();
            format!(
                "{}\n{}",
                pick(rng, &["План на неделю:", "Список на завтра:", "Что нужно сделать:"]),
                items.join("\n")
            )
        }
        2 => {
            let sentences: Vec<String> = (0..rng.gen_range(4..9))
                .map(|_| {
                    let body = pick(rng, BODIES);
                    let mut chars = body.chars();
                    let first =
                        chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
                    format!("{first}{}.", chars.as_str())
                })
                .collect();
            format!("{} {}", pick(rng, OPENINGS), sentences.join(" ")).trim().to_string()
        }
        _ => {
            let line = format!("{} {}. {}", pick(rng, OPENINGS), pick(rng, BODIES), pick(rng, ENDINGS));
            line.trim().to_string()
        }
    }
}

/// Adds `count` text messages to the chat in one transaction: written in turn by its members who may
/// post, spread evenly from up to two weeks ago (never before its newest message) until `now`, some
/// answering a recent message. Nobody's read position moves, so they arrive unread. Returns the ids of
/// the first and last message added.
pub async fn fill_chat(
    db: &SqlitePool,
    chat_id: i64,
    count: u32,
    now: i64,
) -> Result<Option<(i64, i64)>, FillError> {
    let mut tx = crate::db::begin_write(db).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM chats WHERE id = ?)")
        .bind(chat_id)
        .fetch_one(&mut *tx)
        .await?;
    if !exists {
        return Err(FillError::NoSuchChat(chat_id));
    }
    let authors: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM chat_members WHERE chat_id = ? AND can_post ORDER BY user_id",
    )
    .bind(chat_id)
    .fetch_all(&mut *tx)
    .await?;
    if authors.is_empty() {
        return Err(FillError::NoAuthors(chat_id));
    }
    if count == 0 {
        return Ok(None);
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(created_at) FROM messages WHERE chat_id = ?")
        .bind(chat_id)
        .fetch_one(&mut *tx)
        .await?;
    let from = newest.map_or(now - SPAN_SECONDS, |newest| newest.max(now - SPAN_SECONDS)).min(now);
    let step = (now - from) as f64 / f64::from(count);

    let mut rng = StdRng::seed_from_u64(u64::try_from(chat_id).unwrap_or_default());
    let mut ids = Vec::with_capacity(count as usize);
    for n in 0..count {
        let reply_to = (ids.len() > 5 && rng.gen_ratio(1, 15)).then(|| ids[ids.len() - rng.gen_range(1..=5)]);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (chat_id, author_id, kind, body, created_at, reply_to_id)
             VALUES (?, ?, 'text', ?, ?, ?) RETURNING id",
        )
        .bind(chat_id)
        .bind(authors[n as usize % authors.len()])
        .bind(text(&mut rng))
        .bind(from + (f64::from(n + 1) * step) as i64)
        .bind(reply_to)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids.first().copied().zip(ids.last().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_vary_and_stay_within_the_limit() {
        let mut rng = StdRng::seed_from_u64(1);
        let texts: Vec<String> = (0..500).map(|_| text(&mut rng)).collect();
        assert!(texts.iter().all(|t| !t.is_empty() && t.chars().count() <= api::MESSAGE_MAX_CHARS));
        assert!(texts.iter().any(|t| t.chars().count() < 20));
        assert!(texts.iter().any(|t| t.chars().count() > 200));
        assert!(texts.iter().any(|t| t.contains('\n')));
    }
}

//! A demo school to try Parta with (`serve --demo`): fictional people, realistic content.

use api::{ChatKind, InviteExpiry, InviteTarget, Role, SystemEvent};
use sqlx::{SqliteConnection, SqlitePool};

use crate::db;
use crate::invites::{self, NewInvite};
use crate::schools::{self, CreateSchoolError};
use crate::{people, timeline};

pub const SCHOOL_NAME: &str = "Средняя общеобразовательная школа № 7";
pub const SCHOOL_SHORT_NAME: &str = "Школа № 7";
pub const ADMIN_PHONE: &str = "+79000000001";

const DAY: i64 = 24 * 3600;
const HOUR: i64 = 3600;
const MINUTE: i64 = 60;

/// Creates the demo school unless a school of that name exists; returns whether it did.
pub async fn seed(db: &SqlitePool, now: i64) -> Result<bool, CreateSchoolError> {
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM schools WHERE name = ?)")
        .bind(SCHOOL_NAME)
        .fetch_one(db)
        .await?;
    if exists {
        return Ok(false);
    }
    let mut tx = crate::db::begin_write(db).await?;
    populate(&mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}

async fn populate(tx: &mut SqliteConnection, now: i64) -> Result<(), CreateSchoolError> {
    let founded = now - 14 * DAY;
    let base = schools::insert(tx, SCHOOL_NAME, Some(SCHOOL_SHORT_NAME), ADMIN_PHONE, founded).await?;
    let mut school = Seeder { tx, school_id: base.school_id, at: founded };

    let admin = base.admin_id;
    school.profile(admin, "Ольга", "Миронова", "1979-04-12").await?;

    let class_5a = school.class("5А", 5).await?;
    school.class("5Б", 5).await?;
    let class_9v = school.class("9В", 9).await?;

    let staff_room = Some(base.staff_room_id);
    let kuznetsova =
        school.person("+79000000002", "Елена", "Кузнецова", "1983-09-03", Role::Teacher, staff_room).await?;
    school.member(kuznetsova, Role::Teacher, Some(class_5a)).await?;
    let sokolov =
        school.person("+79000000003", "Андрей", "Соколов", "1986-01-21", Role::Teacher, staff_room).await?;
    let belova =
        school.person("+79000000004", "Марина", "Белова", "1990-06-14", Role::Teacher, staff_room).await?;
    school.member(belova, Role::Teacher, Some(class_9v)).await?;
    let orlov =
        school.person("+79000000005", "Игорь", "Орлов", "1978-11-30", Role::Teacher, staff_room).await?;
    let teachers = [kuznetsova, sokolov, belova, orlov];

    let lebedev = school
        .person("+79000000101", "Михаил", "Лебедев", "2015-03-17", Role::Student, Some(class_5a))
        .await?;
    let smirnova = school
        .person("+79000000102", "Анна", "Смирнова", "2015-07-02", Role::Student, Some(class_5a))
        .await?;
    let volkov = school
        .person("+79000000103", "Дмитрий", "Волков", "2014-12-09", Role::Student, Some(class_5a))
        .await?;
    let morozova = school
        .person("+79000000104", "Полина", "Морозова", "2011-05-25", Role::Student, Some(class_9v))
        .await?;
    let students_5a = [lebedev, smirnova, volkov];

    let lebedeva = school
        .person("+79000000201", "Светлана", "Лебедева", "1987-02-08", Role::Parent, Some(class_5a))
        .await?;
    let smirnov = school
        .person("+79000000202", "Алексей", "Смирнов", "1984-10-19", Role::Parent, Some(class_5a))
        .await?;
    let volkova = school
        .person("+79000000203", "Наталья", "Волкова", "1989-08-27", Role::Parent, Some(class_5a))
        .await?;
    let parents_5a = [lebedeva, smirnov, volkova];

    let general = base.general_channel_id;
    for &person in teachers.iter().chain(&students_5a).chain(&[morozova]).chain(&parents_5a) {
        school.join(general, person, false).await?;
    }
    let staff = base.staff_channel_id;
    for &teacher in &teachers {
        school.join(staff, teacher, false).await?;
    }

    let staff_chat = base.staff_chat_id;
    for &teacher in &teachers {
        school.join(staff_chat, teacher, true).await?;
    }
    let class_chat = school.chat(ChatKind::Class, "5А", Some(class_5a), "Чат класса").await?;
    for &person in [kuznetsova, sokolov].iter().chain(&students_5a) {
        school.join(class_chat, person, true).await?;
    }
    let parents_chat =
        school.chat(ChatKind::Parents, "Родители 5А", Some(class_5a), "Чат родителей 5А класса").await?;
    for &person in [kuznetsova].iter().chain(&parents_5a) {
        school.join(parents_chat, person, true).await?;
    }
    let maths = school
        .chat(ChatKind::Subject, "Математика 5А", Some(class_5a), "Домашние задания и вопросы по математике")
        .await?;
    for &person in [sokolov].iter().chain(&students_5a) {
        school.join(maths, person, true).await?;
    }

    // Oldest first, so that message ids follow time as they do in real use.
    let messages: [(i64, i64, Post); 14] = [
        (
            6 * DAY,
            general,
            Post::Text(
                admin,
                "Уважаемые родители и обучающиеся! С понедельника первый урок начинается в 8:30. Обновлённое расписание звонков — на сайте школы в разделе «Документы».",
            ),
        ),
        (
            5 * DAY,
            staff,
            Post::Text(
                admin,
                "Коллеги, педагогический совет — в четверг в 15:00 в актовом зале. Повестка: итоги первой четверти, подготовка к муниципальному этапу олимпиад.",
            ),
        ),
        (
            4 * DAY,
            staff_chat,
            Post::Text(
                belova,
                "Коллеги, кто сможет подменить меня в пятницу на 4-м уроке? Везу 9В на олимпиаду по английскому языку.",
            ),
        ),
        (
            4 * DAY - 20 * MINUTE,
            staff_chat,
            Post::Text(orlov, "Марина Сергеевна, у меня окно, возьму ваш урок."),
        ),
        (4 * DAY - 25 * MINUTE, staff_chat, Post::Text(belova, "Игорь Николаевич, спасибо!")),
        (3 * DAY, parents_chat, Post::Joined(volkova)),
        (
            3 * DAY - HOUR,
            parents_chat,
            Post::Text(
                kuznetsova,
                "Уважаемые родители! Родительское собрание 5А состоится в среду в 18:00 в кабинете 214. Обсудим итоги первой четверти и поездку в краеведческий музей.",
            ),
        ),
        (
            3 * DAY - HOUR - 30 * MINUTE,
            parents_chat,
            Post::Text(lebedeva, "Спасибо, Елена Викторовна, будем."),
        ),
        (
            2 * DAY,
            class_chat,
            Post::Text(
                kuznetsova,
                "Ребята, классный час в пятницу переносится на 6-й урок. Не забудьте дневники.",
            ),
        ),
        (
            DAY,
            parents_chat,
            Post::Text(
                kuznetsova,
                "Напоминаю: экскурсия в краеведческий музей в субботу. Сбор у школы в 9:30, с собой сменная обувь и 300 ₽ на билет. Прошу до пятницы подтвердить участие ребёнка.",
            ),
        ),
        (DAY - 15 * MINUTE, parents_chat, Post::Text(smirnov, "Анна поедет, подтверждаю.")),
        (
            6 * HOUR,
            maths,
            Post::Text(
                sokolov,
                "Домашнее задание на четверг: № 245, 247 и 251 на странице 68. Кто болел — разберите пример на странице 66.",
            ),
        ),
        (5 * HOUR, maths, Post::Text(lebedev, "Андрей Павлович, в номере 247 ответ нужно сокращать?")),
        (4 * HOUR, maths, Post::Text(sokolov, "Да, ответ запишите несократимой дробью.")),
    ];
    for (ago, chat, post) in messages {
        school.post(chat, post, now - ago).await?;
    }

    // Two teachers confirmed, one waiting for the administrator; a parents' link of 5А in use, so
    // that the administrator's lists are not empty on the first visit.
    for teacher in [kuznetsova, belova] {
        school.verification(teacher, "verified", now - 10 * DAY, Some(admin)).await?;
    }
    school.verification(orlov, "pending", now - DAY, None).await?;
    let end_of_term =
        invites::expires_at(&InviteExpiry::EndOfTerm, now).expect("the end of a term is always ahead");
    let invite = NewInvite {
        school_id: base.school_id,
        target: InviteTarget::Class { class_id: class_5a },
        role: Role::Parent,
        label: Some("Родительское собрание 5А"),
        child_id: None,
        created_by: kuznetsova,
        created_at: now - 3 * DAY - 2 * HOUR,
        expires_at: end_of_term,
        max_uses: Some(30),
        requires_approval: true,
    };
    let (invite_id, _) = invites::insert(school.tx, &invite).await?;
    // Наталья Волкова joined through it (her system line above).
    sqlx::query("UPDATE invites SET uses = 1 WHERE id = ?").bind(invite_id).execute(&mut *school.tx).await?;
    Ok(())
}

/// A line of the demo's timelines.
enum Post {
    /// A message by this person.
    Text(i64, &'static str),
    /// The person joined the chat: a system line.
    Joined(i64),
}

struct Seeder<'t> {
    tx: &'t mut SqliteConnection,
    school_id: i64,
    /// When the people, classes and chats appeared.
    at: i64,
}

impl Seeder<'_> {
    /// Fills in a profile, leaving alone one its owner already filled in.
    async fn profile(
        &mut self,
        user_id: i64,
        first: &str,
        last: &str,
        birth: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE users SET first_name = COALESCE(first_name, ?), last_name = COALESCE(last_name, ?),
                              birth_date = COALESCE(birth_date, ?)
             WHERE id = ?",
        )
        .bind(first)
        .bind(last)
        .bind(birth)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn class(&mut self, name: &str, grade: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO classes (school_id, name, grade, kind, created_at) VALUES (?, ?, ?, 'class', ?) RETURNING id",
        )
        .bind(self.school_id)
        .bind(name)
        .bind(grade)
        .bind(self.at)
        .fetch_one(&mut *self.tx)
        .await
    }

    async fn person(
        &mut self,
        phone: &str,
        first: &str,
        last: &str,
        birth: &str,
        role: Role,
        class_id: Option<i64>,
    ) -> Result<i64, sqlx::Error> {
        let user_id = db::user_for_phone(&mut *self.tx, phone, self.at).await?;
        self.profile(user_id, first, last, birth).await?;
        self.member(user_id, role, class_id).await?;
        Ok(user_id)
    }

    async fn member(&mut self, user_id: i64, role: Role, class_id: Option<i64>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO memberships (school_id, user_id, class_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(self.school_id)
        .bind(user_id)
        .bind(class_id)
        .bind(role.as_str())
        .bind(self.at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn chat(
        &mut self,
        kind: ChatKind,
        title: &str,
        class_id: Option<i64>,
        description: &str,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO chats (school_id, class_id, kind, title, description, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(self.school_id)
        .bind(class_id)
        .bind(kind.as_str())
        .bind(title)
        .bind(description)
        .bind(self.at)
        .fetch_one(&mut *self.tx)
        .await
    }

    async fn join(&mut self, chat_id: i64, user_id: i64, can_post: bool) -> Result<(), sqlx::Error> {
        db::join_chat(&mut *self.tx, chat_id, user_id, can_post, self.at).await?;
        Ok(())
    }

    async fn verification(
        &mut self,
        teacher: i64,
        status: &str,
        requested_at: i64,
        decided_by: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO teacher_verifications (school_id, user_id, status, requested_at, decided_at, decided_by)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(self.school_id)
        .bind(teacher)
        .bind(status)
        .bind(requested_at)
        .bind(decided_by.map(|_| requested_at + HOUR))
        .bind(decided_by)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn post(&mut self, chat_id: i64, post: Post, at: i64) -> Result<(), sqlx::Error> {
        match post {
            Post::Text(author, text) => {
                sqlx::query(
                    "INSERT INTO messages (chat_id, author_id, kind, body, created_at) VALUES (?, ?, 'text', ?, ?)",
                )
                .bind(chat_id)
                .bind(author)
                .bind(text)
                .bind(at)
                .execute(&mut *self.tx)
                .await?;
            }
            Post::Joined(user_id) => {
                let name = people::name(&mut *self.tx, user_id).await?;
                let joined = SystemEvent::MemberJoined { user_id: Some(user_id), name };
                timeline::insert_system(self.tx, chat_id, &joined, at).await?;
            }
        }
        Ok(())
    }
}

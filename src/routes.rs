//! Every path of the app, in one place: the builders links use. The routes themselves are declared in
//! `app.rs`.

pub const HOME: &str = "/";
pub const SIGN_IN: &str = "/signin";
pub const WELCOME: &str = "/welcome";
/// «Мои файлы»: the person's own storage.
pub const MY_FILES: &str = "/files";
/// Searching messages: `?q=` the words, `&chat=` to search one chat.
pub const SEARCH: &str = "/search";

/// The search of one chat's messages.
pub fn search_in(chat_id: i64) -> String {
    format!("{SEARCH}?chat={chat_id}")
}

/// A chat opened at one of its messages (a search hit, a pinned message).
pub fn chat_at(chat_id: i64, message_id: i64) -> String {
    format!("/chats/{chat_id}?message={message_id}")
}
/// «Вступить по QR-коду»: the camera, a photo, or a typed code. Works signed out.
pub const SCAN: &str = "/scan";

/// An invite link's landing page: `<origin>/join/<key>`. Works signed out.
pub fn join(key: &str) -> String {
    format!("/join/{key}")
}

/// The invites of a school the person may see, and «Создать ссылку».
pub fn invites(school_id: i64) -> String {
    format!("/schools/{school_id}/invites")
}

/// The form for a new invite of a school.
pub fn new_invite(school_id: i64) -> String {
    format!("/schools/{school_id}/invites/new")
}

/// One invite: its link, QR code and printable sheet.
pub fn invite(id: i64) -> String {
    format!("/invites/{id}")
}

/// Join requests and teacher verifications waiting for the person's decision in a school.
pub fn requests(school_id: i64) -> String {
    format!("/schools/{school_id}/requests")
}

/// The timeline of one chat.
pub fn chat(id: i64) -> String {
    format!("/chats/{id}")
}

/// A chat's members and, for its managers, its settings.
pub fn chat_info(id: i64) -> String {
    format!("/chats/{id}/info")
}

/// «Новый чат» in a school: a 1:1 with someone safe mode allows, or (for staff) a new group.
pub fn new_chat(school_id: i64) -> String {
    format!("/schools/{school_id}/chats/new")
}

/// The administrator's pages of a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminPage {
    /// The first-day checklist and the way to every other page.
    Overview,
    Info,
    Classes,
    People,
    Person(i64),
    Stats,
    Audit,
    YearEnd,
}

/// An administrator's page of a school: `/schools/{id}/admin/…`.
pub fn admin(school_id: i64, page: AdminPage) -> String {
    let base = format!("/schools/{school_id}/admin");
    match page {
        AdminPage::Overview => base,
        AdminPage::Info => format!("{base}/info"),
        AdminPage::Classes => format!("{base}/classes"),
        AdminPage::People => format!("{base}/people"),
        AdminPage::Person(user_id) => format!("{base}/people/{user_id}"),
        AdminPage::Stats => format!("{base}/stats"),
        AdminPage::Audit => format!("{base}/audit"),
        AdminPage::YearEnd => format!("{base}/year-end"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_pages_have_their_paths() {
        assert_eq!(admin(3, AdminPage::Overview), "/schools/3/admin");
        assert_eq!(admin(3, AdminPage::Person(9)), "/schools/3/admin/people/9");
        assert_eq!(admin(3, AdminPage::YearEnd), "/schools/3/admin/year-end");
    }
}

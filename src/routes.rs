//! Every path of the app, in one place. Routes are declared in `app.rs`; links use these builders.

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

/// The token of `/confirm-child/<token>`: the page a parent opens from the e-mail that asks them to
/// confirm a young student (the backend builds the link). Works signed out; drawn by the last route.
pub fn child_confirmation(path: &str) -> Option<&str> {
    path.strip_prefix("/confirm-child/").map(|token| token.trim_end_matches('/')).filter(|t| !t.is_empty())
}

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

/// The screens behind the signed-in layout. They share one route (see `app.rs`) so that moving
/// between the chat list and a chat keeps the list and the live connection instead of rebuilding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Home,
    Chat(i64),
    ChatInfo(i64),
    MyFiles,
    Search,
    NewChat(i64),
    Invites(i64),
    NewInvite(i64),
    Invite(i64),
    Requests(i64),
    Admin(i64, AdminPage),
    NotFound,
}

/// Which signed-in screen a path names.
pub fn screen(path: &str) -> Screen {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    if path == HOME {
        return Screen::Home;
    }
    if path == MY_FILES {
        return Screen::MyFiles;
    }
    if path == SEARCH {
        return Screen::Search;
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let id = |segment: &str| segment.parse::<i64>().ok().filter(|id| *id > 0);
    match segments[..] {
        ["chats", chat] => id(chat).map_or(Screen::NotFound, Screen::Chat),
        ["chats", chat, "info"] => id(chat).map_or(Screen::NotFound, Screen::ChatInfo),
        ["schools", school, "chats", "new"] => id(school).map_or(Screen::NotFound, Screen::NewChat),
        ["invites", invite] => id(invite).map_or(Screen::NotFound, Screen::Invite),
        ["schools", school, "invites"] => id(school).map_or(Screen::NotFound, Screen::Invites),
        ["schools", school, "invites", "new"] => id(school).map_or(Screen::NotFound, Screen::NewInvite),
        ["schools", school, "requests"] => id(school).map_or(Screen::NotFound, Screen::Requests),
        ["schools", school, "admin", ref rest @ ..] => {
            let page = match rest {
                [] => Some(AdminPage::Overview),
                ["info"] => Some(AdminPage::Info),
                ["classes"] => Some(AdminPage::Classes),
                ["people"] => Some(AdminPage::People),
                ["people", person] => id(person).map(AdminPage::Person),
                ["stats"] => Some(AdminPage::Stats),
                ["audit"] => Some(AdminPage::Audit),
                ["year-end"] => Some(AdminPage::YearEnd),
                _ => None,
            };
            match (id(school), page) {
                (Some(school), Some(page)) => Screen::Admin(school, page),
                _ => Screen::NotFound,
            }
        }
        _ => Screen::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_link_names_its_token() {
        assert_eq!(child_confirmation("/confirm-child/abc_-1"), Some("abc_-1"));
        assert_eq!(child_confirmation("/confirm-child/abc/"), Some("abc"));
        assert_eq!(child_confirmation("/confirm-child/"), None);
        assert_eq!(child_confirmation("/chats/1"), None);
    }

    #[test]
    fn paths_name_their_screens() {
        assert_eq!(screen("/"), Screen::Home);
        assert_eq!(screen(""), Screen::NotFound);
        assert_eq!(screen("/chats/42"), Screen::Chat(42));
        assert_eq!(screen("/chats/42/"), Screen::Chat(42));
        assert_eq!(screen(&chat(7)), Screen::Chat(7));
        assert_eq!(screen("/chats/0"), Screen::NotFound);
        assert_eq!(screen("/chats/abc"), Screen::NotFound);
        assert_eq!(screen("/chats/"), Screen::NotFound);
        assert_eq!(screen("/join/abc123"), Screen::NotFound);
        assert_eq!(screen("/schools/3/admin"), Screen::Admin(3, AdminPage::Overview));
        assert_eq!(screen(&admin(3, AdminPage::Person(9))), Screen::Admin(3, AdminPage::Person(9)));
        assert_eq!(screen(&admin(3, AdminPage::YearEnd)), Screen::Admin(3, AdminPage::YearEnd));
        assert_eq!(screen("/schools/3/admin/people/x"), Screen::NotFound);
        assert_eq!(screen("/schools/3/admin/nothing"), Screen::NotFound);
        assert_eq!(screen("/chats/1/2"), Screen::NotFound);
        assert_eq!(screen(&invites(3)), Screen::Invites(3));
        assert_eq!(screen(&new_invite(3)), Screen::NewInvite(3));
        assert_eq!(screen(&invite(12)), Screen::Invite(12));
        assert_eq!(screen(&requests(3)), Screen::Requests(3));
        assert_eq!(screen(&chat_info(7)), Screen::ChatInfo(7));
        assert_eq!(screen(MY_FILES), Screen::MyFiles);
        assert_eq!(screen(SEARCH), Screen::Search);
        assert_eq!(screen(&chat_at(7, 9)), Screen::NotFound, "the query is not part of the path");
        assert_eq!(screen("/chats/7/info/x"), Screen::NotFound);
        assert_eq!(screen(&new_chat(3)), Screen::NewChat(3));
        assert_eq!(screen("/schools/3/chats"), Screen::NotFound);
        assert_eq!(screen("/schools/x/invites"), Screen::NotFound);
        assert_eq!(screen("/schools/3"), Screen::NotFound);
    }
}

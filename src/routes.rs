//! Every path of the app, in one place. Routes are declared in `app.rs`; links use these builders.

pub const HOME: &str = "/";
pub const SIGN_IN: &str = "/signin";
pub const WELCOME: &str = "/welcome";

/// The timeline of one chat.
pub fn chat(id: i64) -> String {
    format!("/chats/{id}")
}

/// The screens behind the signed-in layout. They share one route (see `app.rs`) so that moving
/// between the chat list and a chat keeps the list and the live connection instead of rebuilding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Home,
    Chat(i64),
    NotFound,
}

/// Which signed-in screen a path names.
pub fn screen(path: &str) -> Screen {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    if path == HOME {
        return Screen::Home;
    }
    match path.strip_prefix("/chats/").map(str::parse::<i64>) {
        Some(Ok(id)) if id > 0 => Screen::Chat(id),
        _ => Screen::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(screen("/chats/1/2"), Screen::NotFound);
    }
}

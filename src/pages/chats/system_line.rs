//! System lines of a timeline («Анна Новикова — новый участник чата»), worded in the reader's language
//! from what the server recorded.

use contract::SystemEvent;

use crate::i18n::{Strings, fill};

/// What a system line says in the language of `t`. Names and titles go in as they were recorded, as
/// plain text (views draw the result as a text node, never as markup). A line recorded before system
/// lines were data, or of a kind this app does not know, says the server's own `text`.
pub fn system_sentence(event: Option<&SystemEvent>, text: &str, t: &Strings) -> String {
    match event {
        Some(SystemEvent::ChatCreated) => t.system_chat_created.to_string(),
        Some(SystemEvent::MemberJoined { name, .. }) => fill(t.system_member_joined, &[("name", name)]),
        Some(SystemEvent::MemberRemoved { name, .. }) => fill(t.system_member_removed, &[("name", name)]),
        Some(SystemEvent::MemberLeft { name, .. }) => fill(t.system_member_left, &[("name", name)]),
        Some(SystemEvent::ChatRenamed { title }) => fill(t.system_chat_renamed, &[("title", title)]),
        Some(SystemEvent::DescriptionChanged) => t.system_description_changed.to_string(),
        Some(SystemEvent::DescriptionRemoved) => t.system_description_removed.to_string(),
        Some(SystemEvent::Unknown) | None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn both(event: SystemEvent) -> (String, String) {
        let say = |lang: Lang| system_sentence(Some(&event), "(server text)", lang.strings());
        (say(Lang::Ru), say(Lang::En))
    }

    #[test]
    fn every_event_is_worded_in_the_readers_language() {
        let (user_id, name) = (Some(7), "Анна Новикова".to_string());
        assert_eq!(
            both(SystemEvent::MemberJoined { user_id, name: name.clone() }),
            ("Анна Новикова — новый участник чата".into(), "Анна Новикова joined the chat".into())
        );
        assert_eq!(
            both(SystemEvent::MemberRemoved { user_id, name: name.clone() }),
            (
                "Анна Новикова — больше не участник чата".into(),
                "Анна Новикова is no longer in the chat".into()
            )
        );
        assert_eq!(
            both(SystemEvent::MemberLeft { user_id: None, name }),
            ("Анна Новикова покидает чат".into(), "Анна Новикова left the chat".into())
        );
        assert_eq!(both(SystemEvent::ChatCreated), ("Чат создан".into(), "Chat created".into()));
        assert_eq!(
            both(SystemEvent::ChatRenamed { title: "6М".into() }),
            ("Название чата изменено: «6М»".into(), "Chat renamed to “6М”".into())
        );
        assert_eq!(
            both(SystemEvent::DescriptionChanged),
            ("Описание чата изменено".into(), "Chat description changed".into())
        );
        assert_eq!(
            both(SystemEvent::DescriptionRemoved),
            ("Описание чата удалено".into(), "Chat description removed".into())
        );
    }

    #[test]
    fn names_go_in_as_they_are() {
        let (_, en) =
            both(SystemEvent::MemberJoined { user_id: Some(1), name: "<b>{title}</b> & Co".into() });
        assert_eq!(en, "<b>{title}</b> & Co joined the chat");
    }

    #[test]
    fn lines_without_a_known_event_keep_the_servers_text() {
        let old = "Вчера был субботник";
        assert_eq!(system_sentence(None, old, Lang::En.strings()), old);
        assert_eq!(system_sentence(Some(&SystemEvent::Unknown), old, Lang::En.strings()), old);
    }
}

//! Who is signed in. The session itself is an `HttpOnly` cookie the app never reads; this is the
//! profile the backend returned for it.

use contract::{Me, YoungStudent};
use leptos::prelude::*;

use crate::state::backend::remember_me;

#[derive(Clone, Copy)]
pub struct Session {
    me: RwSignal<Option<Me>>,
}

impl Session {
    /// The signed-in person (reactive).
    pub fn me(&self) -> Option<Me> {
        self.me.get()
    }

    pub fn is_signed_in(&self) -> bool {
        self.me.with(Option::is_some)
    }

    pub fn profile_complete(&self) -> bool {
        self.me.with(|me| me.as_ref().is_some_and(|me| me.user.profile_complete))
    }

    /// For a young student whom no parent confirmed yet: the parent's address as shown (`p•••@mail.ru`).
    /// Such a person reads but cannot write (reactive).
    pub fn waiting_for_parent(&self) -> Option<YoungStudent> {
        self.me.with(|me| {
            me.as_ref().and_then(|me| me.user.young_student.clone()).filter(|young| !young.confirmed)
        })
    }

    pub fn set(&self, me: Me) {
        remember_me(Some(&me));
        self.me.set(Some(me));
    }

    /// Forgets the person locally (after sign-out, or when the backend says the session is gone).
    pub fn clear(&self) {
        remember_me(None);
        self.me.set(None);
    }
}

pub fn provide_session(me: Option<Me>) -> Session {
    let session = Session { me: RwSignal::new(me) };
    provide_context(session);
    // An expired session anywhere sends the person back to sign-in (the screens redirect on it).
    crate::api::on_signed_out(move || {
        remember_me(None);
        let _ = session.me.try_set(None);
    });
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

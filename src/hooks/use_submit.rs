use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A write the person started (a form sent, a button pressed): whether it is under way, and a way to
/// start it — one at a time, so a double tap on a slow phone network does not send twice.
///
/// Why not `Action`: every `Action<I, O>` type brings its own copy of Leptos's action machinery into
/// the wasm, and the first load is a budget; this is one signal and a boxed future.
#[derive(Clone, Copy)]
pub struct Submit {
    pending: RwSignal<bool>,
}

impl Submit {
    /// Whether the work is under way (reactive).
    pub fn pending(&self) -> bool {
        self.pending.get()
    }

    /// Starts `work` unless an earlier one is still under way.
    pub fn run(&self, work: impl Future<Output = ()> + 'static) {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        let pending = self.pending;
        let work: Pin<Box<dyn Future<Output = ()>>> = Box::pin(work);
        spawn_local(async move {
            work.await;
            // The screen may be gone by now (the work navigated away).
            let _ = pending.try_set(false);
        });
    }
}

pub fn use_submit() -> Submit {
    Submit { pending: RwSignal::new(false) }
}

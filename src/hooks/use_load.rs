use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;

type Fetch<T, E> = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, E>>>>>;

/// A read from the backend shown on a screen: `None` until the first answer; on a retry the last
/// answer stays on screen until the new one arrives.
///
/// Why not `LocalResource`: each resource type brings its own copy of Leptos's async-derived machinery
/// into the wasm (~10 KB apiece), and the first load is a budget. This is one signal and a boxed
/// future. Requests made through `crate::api` are aborted when the screen that asked goes away.
pub struct Load<T: Send + Sync + 'static, E: Send + Sync + 'static = AppError> {
    value: RwSignal<Option<Result<T, E>>>,
    fetch: StoredValue<Fetch<T, E>, LocalStorage>,
}

impl<T: Send + Sync + 'static, E: Send + Sync + 'static> Clone for Load<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static, E: Send + Sync + 'static> Copy for Load<T, E> {}

impl<T: Clone + Send + Sync + 'static, E: Clone + Send + Sync + 'static> Load<T, E> {
    /// The answer so far (reactive).
    pub fn get(&self) -> Option<Result<T, E>> {
        self.value.get()
    }

    /// The answer so far, without tracking it.
    pub fn get_untracked(&self) -> Option<Result<T, E>> {
        self.value.get_untracked()
    }

    /// Reads the answer so far without cloning it (reactive).
    pub fn with<R>(&self, read: impl FnOnce(Option<&Result<T, E>>) -> R) -> R {
        self.value.with(|value| read(value.as_ref()))
    }

    /// As [`Load::with`], or `None` once the owner of this load is gone. For state read from places
    /// that may outlive it: a page's effect can run once more after the layout that loaded it was torn
    /// down on sign-out.
    pub fn try_with<R>(&self, read: impl FnOnce(Option<&Result<T, E>>) -> R) -> Option<R> {
        self.value.try_with(|value| read(value.as_ref()))
    }

    /// Changes a successful answer in place (a live event arrived); nothing happens before one.
    pub fn update_ok(&self, change: impl FnOnce(&mut T)) {
        let _ = self.value.try_update(|value| {
            if let Some(Ok(value)) = value {
                change(value);
            }
        });
    }

    /// Asks again, keeping the current answer on screen meanwhile.
    pub fn refetch(&self) {
        let Some(future) = self.fetch.try_with_value(|fetch| fetch()) else { return };
        let value = self.value;
        spawn_local(async move {
            let answer = future.await;
            // The screen may be gone by now; then there is nothing to update.
            let _ = value.try_set(Some(answer));
        });
    }
}

/// Starts `fetch` now and returns its answer as a signal. `fetch` is called again by `refetch`.
pub fn use_load<T, E, Fut>(fetch: impl Fn() -> Fut + 'static) -> Load<T, E>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, E>> + 'static,
{
    let fetch: Fetch<T, E> = Rc::new(move || Box::pin(fetch()));
    let load = Load { value: RwSignal::new(None), fetch: StoredValue::new_local(fetch) };
    load.refetch();
    load
}

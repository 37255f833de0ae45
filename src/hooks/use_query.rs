//! The address's query (`?subject_id=4`), following every navigation.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::params::ParamsMap;

/// The query of the current address. Not `leptos_router`'s `use_query_map`: that one reads the URL its
/// route last matched, and every signed-in screen shares one route (see `app.rs`), so moving between
/// two of them (a person's card → the audit log about them) would leave it with the old query.
pub fn use_query() -> Memo<ParamsMap> {
    use_location().query
}

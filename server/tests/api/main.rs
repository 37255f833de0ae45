//! The HTTP API and the static app, driven through `app(state)`: a fresh database per test.

mod auth;
mod chats;
mod csrf;
mod events;
mod me;
mod meta;
mod schools;
mod static_files;
mod support;

//! The HTTP API and the static app, driven through `app(state)`: a fresh database per test.

mod acks;
mod admin_classes;
mod admin_people;
mod admin_reading;
mod auth;
#[path = "../shared/bomb.rs"]
mod bomb;
mod chat_manage;
mod chats;
mod class_requests;
mod contract;
mod csrf;
mod direct;
mod events;
mod files;
mod invites;
mod join;
mod me;
mod messages;
mod meta;
mod pins;
mod polls;
mod replay;
mod requests;
mod schools;
mod search;
mod static_files;
mod support;
mod text;
mod verification;
mod young_students;

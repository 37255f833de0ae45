//! Browser hooks of our own, shaped like leptos-use's: `use_x(..)`, cleanup always registered.

mod use_page_title;

pub use use_page_title::use_page_title;

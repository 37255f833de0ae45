//! Browser hooks of our own, shaped like leptos-use's: `use_x(..)`, cleanup always registered.

mod use_load;
mod use_page_title;
mod use_submit;

pub use use_load::{Load, use_load};
pub use use_page_title::use_page_title;
pub use use_submit::{Submit, use_submit};

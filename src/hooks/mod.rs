//! Browser hooks of our own, shaped like leptos-use's: `use_x(..)`, cleanup always registered.

mod share;
mod use_camera_qr;
mod use_load;
mod use_page_title;
mod use_qr_decoder;
mod use_query;
mod use_submit;

pub use share::{Shared, can_share, copy_text, share_link};
pub use use_camera_qr::{CameraState, UseCameraQrReturn, use_camera_qr};
pub use use_load::{Load, use_load};
pub use use_page_title::use_page_title;
pub use use_qr_decoder::{DecodeError, QrDecoder, use_qr_decoder};
pub use use_query::use_query;
pub use use_submit::{Submit, use_submit};

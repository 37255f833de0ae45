//! Joining a school: an invite's landing page, and the QR scanner that leads to it.

mod join_page;
mod joining;
mod scan;

pub use join_page::JoinPage;
pub use joining::{JoinStep, step as joining_step};
pub use scan::{ScanPage, invite_key};

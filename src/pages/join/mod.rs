//! Joining a school: an invite's landing page, and the QR scanner that leads to it.

mod join_page;

pub use join_page::JoinPage;

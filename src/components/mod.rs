//! Reusable pieces of the interface.

mod avatar;
mod child_banner;
mod connection_banner;
mod field;
mod language_switch;
mod qr_code;
mod shell;
mod status;
mod teacher_badge;

pub use avatar::Avatar;
pub use child_banner::ChildConfirmationBanner;
pub use connection_banner::ConnectionBanner;
pub use field::TextField;
pub use language_switch::LanguageSwitch;
pub use qr_code::QrCode;
pub use shell::{AppBar, Shell};
pub use status::{EmptyState, ErrorNotice, Loading};
pub use teacher_badge::TeacherBadge;

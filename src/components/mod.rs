//! Reusable pieces of the interface.

mod avatar;
mod connection_banner;
mod field;
mod language_switch;
mod shell;
mod status;
mod teacher_badge;

pub use avatar::Avatar;
pub use connection_banner::ConnectionBanner;
pub use field::TextField;
pub use language_switch::LanguageSwitch;
pub use shell::{AppBar, Shell};
pub use status::{EmptyState, ErrorNotice, Loading};
pub use teacher_badge::TeacherBadge;

//! The screens around invite links: the list of a school's invites, a new one, one invite's link and
//! QR code, and the requests waiting for a decision.

mod link;
mod list;
mod new;
mod parent_link;
mod requests;

pub use link::InviteScreen;
pub use list::InvitesScreen;
pub use new::NewInviteScreen;
pub use parent_link::ParentLinkButton;
pub use requests::RequestsScreen;

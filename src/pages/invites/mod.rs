//! The screens around invite links: the list of a school's invites, a new one, one invite's link and
//! QR code, and the requests waiting for a decision.

mod class_parents;
mod class_requests;
mod link;
mod list;
mod new;
mod no_class;
mod parent_link;
mod requests;

pub use class_parents::ClassParentLinks;
pub use link::InviteScreen;
pub use list::InvitesScreen;
pub use new::NewInviteScreen;
pub use parent_link::ParentLinkButton;
pub use requests::RequestsScreen;

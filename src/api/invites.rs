//! Invites, joining through them, join requests and teacher verification.

use std::future::Future;

use contract::{
    Affected, ApproveRequests, ClassParentInvites, ClassRequest, CreatedInvite, Invite, InviteCreate,
    InviteKey, InvitePreview, InviteTargetOption, JoinBody, JoinOutcome, JoinRequest, MyJoinRequest,
    RevokeUnused, TeacherVerification,
};

use super::http::{abort_on_cleanup, get, post};
use crate::error::AppError;

// Reads are not `async fn`s: the abort signal must belong to the screen that asks (see `chats.rs`).

/// Where the person may invite people in a school, with the roles each place allows.
pub fn invite_targets(school_id: i64) -> impl Future<Output = Result<Vec<InviteTargetOption>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/invite-targets"), signal.as_ref()).await }
}

/// The invites of a school the person may see, newest first.
pub fn invites(school_id: i64) -> impl Future<Output = Result<Vec<Invite>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/invites"), signal.as_ref()).await }
}

pub fn invite(id: i64) -> impl Future<Output = Result<Invite, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/invites/{id}"), signal.as_ref()).await }
}

pub async fn create_invite(school_id: i64, invite: InviteCreate) -> Result<CreatedInvite, AppError> {
    post(&format!("/schools/{school_id}/invites"), &invite).await
}

pub async fn revoke_invite(id: i64) -> Result<Invite, AppError> {
    post(&format!("/invites/{id}/revoke"), &()).await
}

pub async fn revoke_unused(school_id: i64, scope: RevokeUnused) -> Result<Affected, AppError> {
    post(&format!("/schools/{school_id}/invites/revoke-unused"), &scope).await
}

/// A one-use link for a parent of this student, bound to the student.
pub async fn parent_invite(school_id: i64, student_id: i64) -> Result<CreatedInvite, AppError> {
    post(&format!("/schools/{school_id}/students/{student_id}/parent-invite"), &()).await
}

/// What an invite is for; answers even when nobody is signed in.
pub fn preview(key: InviteKey) -> impl Future<Output = Result<InvitePreview, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/join/{}", key.as_str()), signal.as_ref()).await }
}

pub async fn join(key: InviteKey, body: JoinBody) -> Result<JoinOutcome, AppError> {
    post(&format!("/join/{}", key.as_str()), &body).await
}

/// The person's own join requests.
pub fn my_join_requests() -> impl Future<Output = Result<Vec<MyJoinRequest>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get("/me/join-requests", signal.as_ref()).await }
}

/// Join requests waiting for the person's decision in a school.
pub fn join_requests(school_id: i64) -> impl Future<Output = Result<Vec<JoinRequest>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/join-requests"), signal.as_ref()).await }
}

pub async fn decide_request(id: i64, approve: bool) -> Result<JoinRequest, AppError> {
    let verb = if approve { "approve" } else { "reject" };
    post(&format!("/join-requests/{id}/{verb}"), &()).await
}

pub async fn approve_requests(school_id: i64, ids: Vec<i64>) -> Result<Affected, AppError> {
    post(&format!("/schools/{school_id}/join-requests/approve"), &ApproveRequests { ids }).await
}

/// A teacher asks the school's administrators to confirm their «учитель» status.
pub async fn request_verification(school_id: i64) -> Result<TeacherVerification, AppError> {
    post(&format!("/schools/{school_id}/teacher-verification"), &()).await
}

/// Teachers waiting for an administrator to confirm their status.
pub fn verifications(school_id: i64) -> impl Future<Output = Result<Vec<TeacherVerification>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/teacher-verifications"), signal.as_ref()).await }
}

/// Confirms the listed teachers' requests at once (those still waiting).
pub async fn approve_verifications(school_id: i64, ids: Vec<i64>) -> Result<Affected, AppError> {
    post(&format!("/schools/{school_id}/teacher-verifications/approve"), &ApproveRequests { ids }).await
}

pub async fn decide_verification(id: i64, approve: bool) -> Result<TeacherVerification, AppError> {
    let verb = if approve { "approve" } else { "decline" };
    post(&format!("/teacher-verifications/{id}/{verb}"), &()).await
}

/// A teacher asks the school's administrators for a class.
pub async fn request_class(school_id: i64) -> Result<ClassRequest, AppError> {
    post(&format!("/schools/{school_id}/class-request"), &()).await
}

/// The teacher's own newest request for a class, if any.
pub fn my_class_request(school_id: i64) -> impl Future<Output = Result<Option<ClassRequest>, AppError>> {
    let signal = abort_on_cleanup();
    async move {
        let newest: Vec<ClassRequest> =
            get(&format!("/schools/{school_id}/class-request"), signal.as_ref()).await?;
        Ok(newest.into_iter().next())
    }
}

/// Teachers waiting for an administrator to give them a class.
pub fn class_requests(school_id: i64) -> impl Future<Output = Result<Vec<ClassRequest>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/class-requests"), signal.as_ref()).await }
}

pub async fn decline_class_request(id: i64) -> Result<ClassRequest, AppError> {
    post(&format!("/class-requests/{id}/decline"), &()).await
}

/// A parent's link for every student of the class whose parent has not joined yet.
pub async fn class_parent_invites(class_id: i64) -> Result<ClassParentInvites, AppError> {
    post(&format!("/classes/{class_id}/parent-invites"), &()).await
}

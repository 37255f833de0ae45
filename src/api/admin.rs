//! The administrator's screens: the school's information, classes, people, statistics, audit log and
//! the year-end transfer.

use std::future::Future;

use contract::{
    AuditPage, BulkClasses, BulkCreated, ClassChanges, ClassSummary, MembershipChange, NewClass, PersonCard,
    RosterEntry, SchoolInfo, SchoolStats, SetLogo, YearEnd,
};

use super::http::{
    abort_on_cleanup, delete, get, patch, patch_no_content, post, post_empty, put, put_empty, put_no_content,
};
use crate::error::AppError;

// Reads are not `async fn`s: the abort signal must belong to the screen that asks (see `chats.rs`).

pub fn school_info(school_id: i64) -> impl Future<Output = Result<SchoolInfo, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/info"), signal.as_ref()).await }
}

/// Makes an upload (`upload(file, false, …)`) the school's logo; answers with the new logo version.
pub async fn set_logo(school_id: i64, file_id: i64) -> Result<SchoolInfo, AppError> {
    put(&format!("/schools/{school_id}/logo"), &SetLogo { file_id }).await
}

pub async fn remove_logo(school_id: i64) -> Result<(), AppError> {
    delete(&format!("/schools/{school_id}/logo")).await
}

/// The address of a school's logo of `version` (`SchoolSummary::logo`): a new logo, a new address.
pub fn logo_url(school_id: i64, version: i64) -> String {
    super::http::url(&format!("/schools/{school_id}/logo?v={version}"))
}

pub async fn save_school_info(school_id: i64, info: SchoolInfo) -> Result<SchoolInfo, AppError> {
    put(&format!("/schools/{school_id}/info"), &info).await
}

pub fn classes(school_id: i64) -> impl Future<Output = Result<Vec<ClassSummary>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/classes"), signal.as_ref()).await }
}

pub async fn create_class(school_id: i64, class: NewClass) -> Result<ClassSummary, AppError> {
    post(&format!("/schools/{school_id}/classes"), &class).await
}

pub async fn create_classes(school_id: i64, bulk: BulkClasses) -> Result<BulkCreated, AppError> {
    post(&format!("/schools/{school_id}/classes/bulk"), &bulk).await
}

pub async fn change_class(class_id: i64, changes: ClassChanges) -> Result<ClassSummary, AppError> {
    patch(&format!("/classes/{class_id}"), &changes).await
}

pub async fn delete_class(class_id: i64) -> Result<(), AppError> {
    delete(&format!("/classes/{class_id}")).await
}

pub async fn assign_teacher(class_id: i64, user_id: i64) -> Result<ClassSummary, AppError> {
    put_empty(&format!("/classes/{class_id}/teachers/{user_id}")).await
}

pub async fn unassign_teacher(class_id: i64, user_id: i64) -> Result<(), AppError> {
    delete(&format!("/classes/{class_id}/teachers/{user_id}")).await
}

/// The roster, filtered: `query` is the query string without `?` (`role=student&class_id=4&q=ив`).
pub fn roster(school_id: i64, query: String) -> impl Future<Output = Result<Vec<RosterEntry>, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/roster?{query}"), signal.as_ref()).await }
}

pub fn person(school_id: i64, user_id: i64) -> impl Future<Output = Result<PersonCard, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/people/{user_id}"), signal.as_ref()).await }
}

pub async fn change_membership(
    school_id: i64,
    membership_id: i64,
    change: MembershipChange,
) -> Result<(), AppError> {
    patch_no_content(&format!("/schools/{school_id}/memberships/{membership_id}"), &change).await
}

pub async fn remove_person(school_id: i64, user_id: i64) -> Result<(), AppError> {
    delete(&format!("/schools/{school_id}/people/{user_id}")).await
}

pub async fn appoint_admin(school_id: i64, user_id: i64) -> Result<(), AppError> {
    put_no_content(&format!("/schools/{school_id}/admins/{user_id}")).await
}

pub async fn remove_admin(school_id: i64, user_id: i64) -> Result<(), AppError> {
    delete(&format!("/schools/{school_id}/admins/{user_id}")).await
}

pub fn stats(school_id: i64) -> impl Future<Output = Result<SchoolStats, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/stats"), signal.as_ref()).await }
}

/// A page of the audit log: `query` as for [`roster`] (`action=…&before=…`).
pub fn audit(school_id: i64, query: String) -> impl Future<Output = Result<AuditPage, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/audit?{query}"), signal.as_ref()).await }
}

pub fn year_end(school_id: i64) -> impl Future<Output = Result<YearEnd, AppError>> {
    let signal = abort_on_cleanup();
    async move { get(&format!("/schools/{school_id}/year-end"), signal.as_ref()).await }
}

pub async fn apply_year_end(school_id: i64, reviewed: YearEnd) -> Result<(), AppError> {
    post_empty(&format!("/schools/{school_id}/year-end"), &reviewed).await
}

//! Who may see and act on a job: staff who handle jobs see all; a resident sees the jobs
//! for themselves and for the residents they are proxy of; participants see none here.
//! The same holds for a resident's wallet, keys and receipts read by id.

use crate::auth::extract::RolePolicy;
use crate::auth::{AuthUser, Role};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::residents::{proxies, store as residents};

pub const JOB_STAFF: &[Role] = &[Role::Werkleider, Role::Finance, Role::Coordinator];

pub fn is_staff(user: &AuthUser) -> bool {
    user.is_any(JOB_STAFF)
}

/// The residents a resident account may act for: their own record and their principals.
pub fn own_recipients(conn: &mut DbConn, user_id: i64) -> Result<Vec<i64>, ApiError> {
    let mut ids = proxies::principals_of(conn, user_id)?;
    if let Some(own) = residents::find_by_user(conn, user_id)? {
        ids.insert(0, own.id);
    }
    Ok(ids)
}

/// Whether `user` may see and manage jobs for `recipient_id`.
pub fn may_act_for(conn: &mut DbConn, user: &AuthUser, recipient_id: i64) -> Result<bool, ApiError> {
    if is_staff(user) {
        return Ok(true);
    }
    if !user.is(Role::Resident) {
        return Ok(false);
    }
    Ok(own_recipients(conn, user.id)?.contains(&recipient_id))
}

/// For a resident account reading a resident's own data by id (their wallet, their keys):
/// their own record or a principal's passes, anyone else's is as unknown as one that does
/// not exist (404).
pub fn acting_for(conn: &mut DbConn, user: &AuthUser, resident_id: i64) -> Result<(), ApiError> {
    if user.is(Role::Resident) && own_recipients(conn, user.id)?.contains(&resident_id) {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Who reads a resident's own data by id: staff of `P` (`true`), or a resident account
/// (`false`: check it with [`acting_for`]); anyone else is refused (403).
pub fn staff_or_resident<P: RolePolicy>(user: &AuthUser) -> Result<bool, ApiError> {
    if P::ROLES.contains(&user.role) {
        Ok(true)
    } else if user.is(Role::Resident) {
        Ok(false)
    } else {
        Err(ApiError::Forbidden)
    }
}

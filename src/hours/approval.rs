//! Deciding a crew's or a day's logs in one go, approving or rejecting them: all of them
//! or none.

use chrono::NaiveDateTime;

use super::store::WorkLog;
use super::{logging, rejection_mail};
use crate::db::DbConn;
use crate::error::ApiError;

/// Logs decided in one call at most.
pub const MAX_LOGS: usize = 100;

/// The ids to decide, checked before anything is read: at least one, at most
/// [`MAX_LOGS`], none twice.
pub fn check_ids(ids: &[i64]) -> Result<(), ApiError> {
    crate::batch::check_ids(ids, MAX_LOGS, "log", "duplicate_log")
}

/// What a batch does to each of its logs.
#[derive(Debug, Clone, Copy)]
pub enum Decision<'a> {
    Approve,
    /// With the reason, which each participant who logged the time themselves is mailed.
    Reject {
        reason: &'a str,
    },
}

impl Decision<'_> {
    fn done(&self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Reject { .. } => "rejected",
        }
    }
}

/// Decides every log in `ids` and returns them in that order; if one is unknown or no
/// longer pending, the error names it and the transaction decides none. The logs are
/// decided (and so locked) lowest id first: two batches naming the same logs in
/// opposite orders would otherwise each hold one the other waits for, and PostgreSQL
/// would end one of them as a deadlock.
pub fn decide_all(
    conn: &mut DbConn,
    ids: &[i64],
    decision: Decision<'_>,
    by: i64,
    now: NaiveDateTime,
) -> Result<Vec<WorkLog>, ApiError> {
    check_ids(ids)?;
    let mut in_lock_order = ids.to_vec();
    in_lock_order.sort_unstable();
    let decided: Vec<WorkLog> = in_lock_order
        .into_iter()
        .map(|id| {
            let one = match decision {
                Decision::Approve => logging::approve(conn, id, by, now),
                Decision::Reject { reason } => logging::reject(conn, id, by, reason, now),
            };
            one.map_err(|e| match e {
                ApiError::NotFound => ApiError::validation("ids", "unknown_log", format!("there is no log {id}")),
                ApiError::Conflict { code, .. } => ApiError::conflict(
                    code,
                    format!("log {id} is not pending; nothing was {}", decision.done()),
                ),
                other => other,
            })
        })
        .collect::<Result<_, _>>()?;
    if let Decision::Reject { reason } = decision {
        rejection_mail::tell(conn, &decided, reason, now)?;
    }
    Ok(in_order_of(ids, decided))
}

/// Rejects the pending log `id` with `reason` and mails the participant why when they
/// logged it themselves; 404 when there is no such log, 409 `not_pending`.
pub fn reject_one(conn: &mut DbConn, id: i64, by: i64, reason: &str, now: NaiveDateTime) -> Result<WorkLog, ApiError> {
    let log = logging::reject(conn, id, by, reason, now)?;
    rejection_mail::tell(conn, std::slice::from_ref(&log), reason, now)?;
    Ok(log)
}

/// `logs` in the order of `ids` (each id names one of them).
fn in_order_of(ids: &[i64], mut logs: Vec<WorkLog>) -> Vec<WorkLog> {
    logs.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    logs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(ids: &[i64]) -> Option<String> {
        check_ids(ids).err().map(|e| e.problem().errors[0].code.to_string())
    }

    #[test]
    fn a_batch_names_each_log_once_and_not_too_many() {
        assert_eq!(code(&[3, 1, 2]), None);
        assert_eq!(code(&[]).as_deref(), Some("required"));
        assert_eq!(code(&[4, 5, 4]).as_deref(), Some("duplicate_log"));
        let many: Vec<i64> = (1..=MAX_LOGS as i64 + 1).collect();
        assert_eq!(code(&many).as_deref(), Some("too_many"));
        assert_eq!(code(&many[..MAX_LOGS]), None);
    }
}

//! Work logs a page at a time: the werkleider's queue of logs to approve, and a
//! participant's logs over a period.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::store::WorkLog;
use crate::db::schema::{participants, work_logs};
use crate::db::{DbConn, MultiBackend};
use crate::pagination::PageQuery;

#[derive(Debug, Clone, Default)]
pub struct WorkLogFilter {
    /// Only the caseload of this trajectbegeleider; `None` is every participant.
    pub coach_user_id: Option<i64>,
    pub participant_id: Option<i64>,
    /// `pending`, `approved`, `rejected` or `superseded`.
    pub status: Option<&'static str>,
    /// Logs that started at or after this moment (UTC).
    pub started_from: Option<NaiveDateTime>,
    /// Logs that started before this moment (UTC).
    pub started_before: Option<NaiveDateTime>,
}

fn filtered(f: &WorkLogFilter) -> work_logs::BoxedQuery<'static, MultiBackend> {
    let mut q = work_logs::table.into_boxed::<MultiBackend>();
    if let Some(coach) = f.coach_user_id {
        let caseload = participants::table
            .filter(participants::coach_user_id.eq(coach))
            .select(participants::id);
        q = q.filter(work_logs::participant_id.eq_any(caseload));
    }
    if let Some(participant) = f.participant_id {
        q = q.filter(work_logs::participant_id.eq(participant));
    }
    if let Some(status) = f.status {
        q = q.filter(work_logs::status.eq(status));
    }
    if let Some(from) = f.started_from {
        q = q.filter(work_logs::started_at.ge(from));
    }
    if let Some(before) = f.started_before {
        q = q.filter(work_logs::started_at.lt(before));
    }
    q
}

/// One page of the logs the filter lets through, in the order they were worked (the
/// oldest waiting first), and how many there are in all.
pub fn page(conn: &mut DbConn, f: &WorkLogFilter, page: &PageQuery) -> QueryResult<(Vec<WorkLog>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    let rows = filtered(f)
        .order((work_logs::started_at, work_logs::id))
        .limit(page.limit())
        .offset(page.offset())
        .select(WorkLog::as_select())
        .load(conn)?;
    Ok((rows, total))
}

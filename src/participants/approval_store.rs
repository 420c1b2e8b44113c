//! Questions to the sociale dienst in the database, and as the coach reads them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::approval::{Answer, ApprovalKind, ApprovalStatus};
use crate::db::DbConn;
use crate::db::schema::{approval_requests, participants, trajectories};
use crate::error::ApiError;

/// A question to the sociale dienst and, once given, its answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApprovalView {
    pub id: i64,
    pub trajectory_id: i64,
    pub kind: ApprovalKind,
    /// What the sociale dienst is asked, in Dutch.
    pub kind_name: &'static str,
    /// What the coach proposes and why.
    pub proposal: String,
    pub status: ApprovalStatus,
    /// When it was asked (UTC).
    #[serde(serialize_with = "crate::clock::utc")]
    pub asked_at: NaiveDateTime,
    /// The day the klantmanager answered; null while pending or when withdrawn.
    pub answered_on: Option<NaiveDate>,
    /// Who answered for the sociale dienst, if written down.
    pub case_manager: Option<String>,
    /// What came with the answer (conditions, a date to look at it again).
    pub note: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = approval_requests)]
struct Row {
    id: i64,
    trajectory_id: i64,
    kind: String,
    proposal: String,
    status: String,
    asked_at: NaiveDateTime,
    answered_on: Option<NaiveDate>,
    case_manager: Option<String>,
    answer_note: Option<String>,
}

impl From<Row> for ApprovalView {
    fn from(r: Row) -> Self {
        let kind = ApprovalKind::from_stored(&r.kind);
        ApprovalView {
            id: r.id,
            trajectory_id: r.trajectory_id,
            kind,
            kind_name: kind.dutch(),
            proposal: r.proposal,
            status: ApprovalStatus::from_stored(&r.status),
            asked_at: r.asked_at,
            answered_on: r.answered_on,
            case_manager: r.case_manager,
            note: r.answer_note,
        }
    }
}

fn already_asked() -> ApiError {
    ApiError::conflict(
        "already_asked",
        "a question of this kind about this trajectory is open already: answer or withdraw it first",
    )
}

/// Asks the sociale dienst about `trajectory`, by coach `by`; the question. One of a
/// kind open at a time (the caller holds the participant's lock; the index backs it).
pub fn ask(
    conn: &mut DbConn,
    trajectory: i64,
    kind: ApprovalKind,
    proposal: &str,
    by: i64,
    now: NaiveDateTime,
) -> Result<ApprovalView, ApiError> {
    let open: i64 = approval_requests::table
        .filter(approval_requests::trajectory_id.eq(trajectory))
        .filter(approval_requests::kind.eq(kind.as_str()))
        .filter(approval_requests::status.eq(ApprovalStatus::Pending.as_str()))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Err(already_asked());
    }
    let id = diesel::insert_into(approval_requests::table)
        .values((
            approval_requests::trajectory_id.eq(trajectory),
            approval_requests::kind.eq(kind.as_str()),
            approval_requests::proposal.eq(proposal),
            approval_requests::status.eq(ApprovalStatus::Pending.as_str()),
            approval_requests::asked_by.eq(by),
            approval_requests::asked_at.eq(now),
        ))
        .returning(approval_requests::id)
        .get_result::<i64>(conn)
        .map_err(|e| match ApiError::from(e) {
            e if crate::db::is_unique_violation(&e) => already_asked(),
            e => e,
        })?;
    find(conn, trajectory, id)
}

/// Question `id` about `trajectory`.
pub fn find(conn: &mut DbConn, trajectory: i64, id: i64) -> Result<ApprovalView, ApiError> {
    let row: Row = approval_requests::table
        .filter(approval_requests::id.eq(id))
        .filter(approval_requests::trajectory_id.eq(trajectory))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// Writes the answer to question `id`, recorded by `by`.
pub fn answer(conn: &mut DbConn, id: i64, answer: &Answer, by: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(approval_requests::table.find(id))
        .set((
            approval_requests::status.eq(answer.status.as_str()),
            approval_requests::answered_on.eq(Some(answer.answered_on)),
            approval_requests::case_manager.eq(answer.case_manager.as_deref()),
            approval_requests::answer_note.eq(answer.note.as_deref()),
            approval_requests::closed_by.eq(Some(by)),
            approval_requests::closed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes question `id` back, by `by`.
pub fn withdraw(conn: &mut DbConn, id: i64, by: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(approval_requests::table.find(id))
        .set((
            approval_requests::status.eq(ApprovalStatus::Withdrawn.as_str()),
            approval_requests::closed_by.eq(Some(by)),
            approval_requests::closed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The questions about trajectories `ids`, oldest first.
pub fn of_trajectories(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<ApprovalView>> {
    let rows: Vec<Row> = approval_requests::table
        .filter(approval_requests::trajectory_id.eq_any(ids))
        .order((approval_requests::asked_at, approval_requests::id))
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ApprovalView::from).collect())
}

/// An open question with whose it is, for the weekly meeting.
pub struct Open {
    pub approval: ApprovalView,
    pub participant_name: String,
    pub coach_user_id: Option<i64>,
    pub trajectory_kind: String,
}

/// Every open question, oldest first.
pub fn open(conn: &mut DbConn) -> QueryResult<Vec<Open>> {
    let rows: Vec<(Row, String, Option<i64>, String)> = approval_requests::table
        .inner_join(trajectories::table.inner_join(participants::table))
        .filter(approval_requests::status.eq(ApprovalStatus::Pending.as_str()))
        .order((approval_requests::asked_at, approval_requests::id))
        .select((
            Row::as_select(),
            participants::name,
            participants::coach_user_id,
            trajectories::kind,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, participant_name, coach_user_id, trajectory_kind)| Open {
            approval: row.into(),
            participant_name,
            coach_user_id,
            trajectory_kind,
        })
        .collect())
}

/// Removes the questions about trajectories `ids` (erasure, retention).
pub fn delete_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(approval_requests::table.filter(approval_requests::trajectory_id.eq_any(ids))).execute(conn)
}

//! The end of the fiscal retention period (AWR art. 52: seven years). An erased resident's
//! or participant's financial records are kept without a name until then; after it, this
//! job removes them: for a resident the purchases, cheques with their events, subsidy
//! claims and refunds, online checkouts and the jobs with their planning; for a participant
//! the hours worked, places in teams and bonus statements. Then the anonymous record itself
//! goes.
//!
//! The general ledger stays: it is the organisation's own books, its lines carry accounts,
//! amounts and a municipality or institution, and once the records above are gone no entry
//! leads back to a person. Totals of closed months are kept apart (`closed_period_totals`),
//! so the trial balance does not change.
//!
//! A record made in year Y is kept through the end of Y + 7. Someone is due only when all
//! their records are that old and none of their cheques can still be used.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::dsl::max;
use diesel::prelude::*;

use crate::cheques::store::SOLD;
use crate::db::DbConn;
use crate::db::schema::{
    assignment_members, assignments, bonus_statements, cash_payouts, checkouts, cheque_events, cheque_sales, cheques,
    institution_charges, job_events, jobs, participants, proposal_lines, residents, stripe_payout_lines,
    stripe_refunds, subsidy_claims, work_logs,
};
use crate::error::ApiError;

/// Years a financial record is kept after the year it was made in.
pub const FISCAL_RETENTION_YEARS: i32 = 7;

/// The first day that still falls inside the retention period on `today` (pure): records
/// from before it may go.
pub fn cutoff(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() - FISCAL_RETENTION_YEARS, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Whether records whose latest moment is `last` may go on `today` (pure). No records at
/// all: nothing to keep.
pub fn past_retention(last: Option<NaiveDateTime>, today: NaiveDate) -> bool {
    last.is_none_or(|at| at.date() < cutoff(today))
}

/// How many erased people had their remaining records removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub residents: usize,
    pub participants: usize,
}

/// Removes what is past the fiscal retention period, in the caller's transaction.
pub fn run(conn: &mut DbConn, today: NaiveDate) -> Result<Purged, ApiError> {
    let mut purged = Purged::default();
    let erased: Vec<i64> = residents::table
        .filter(residents::erased_at.is_not_null())
        .select(residents::id)
        .load(conn)?;
    for id in erased {
        if resident_due(conn, id, today)? {
            purge_resident(conn, id)?;
            purged.residents += 1;
        }
    }
    let erased: Vec<i64> = participants::table
        .filter(participants::name.eq(super::participant::ERASED_NAME))
        .select(participants::id)
        .load(conn)?;
    for id in erased {
        if past_retention(participant_last(conn, id)?, today) {
            purge_participant(conn, id)?;
            purged.participants += 1;
        }
    }
    Ok(purged)
}

fn latest(moments: impl IntoIterator<Item = Option<NaiveDateTime>>) -> Option<NaiveDateTime> {
    moments.into_iter().flatten().max()
}

fn resident_due(conn: &mut DbConn, id: i64, today: NaiveDate) -> QueryResult<bool> {
    let live: i64 = cheques::table
        .filter(cheques::owner_resident_id.eq(id))
        .filter(cheques::status.eq(SOLD))
        .count()
        .get_result(conn)?;
    if live > 0 {
        return Ok(false);
    }
    let cheque_ids = cheques::table
        .filter(cheques::owner_resident_id.eq(id))
        .select(cheques::id);
    let job_ids = jobs::table.filter(jobs::recipient_id.eq(id)).select(jobs::id);
    let last = latest([
        cheque_sales::table
            .filter(cheque_sales::resident_id.eq(id))
            .select(max(cheque_sales::created_at))
            .first(conn)?,
        cheques::table
            .filter(cheques::owner_resident_id.eq(id))
            .select(max(cheques::status_changed_at))
            .first(conn)?,
        cheque_events::table
            .filter(cheque_events::cheque_id.eq_any(cheque_ids))
            .select(max(cheque_events::at))
            .first(conn)?,
        subsidy_claims::table
            .filter(subsidy_claims::cheque_id.eq_any(cheque_ids))
            .select(max(subsidy_claims::created_at))
            .first(conn)?,
        stripe_refunds::table
            .filter(stripe_refunds::cheque_id.eq_any(cheque_ids))
            .select(max(stripe_refunds::created_at))
            .first(conn)?,
        cash_payouts::table
            .filter(cash_payouts::cheque_id.eq_any(cheque_ids))
            .select(max(cash_payouts::created_at))
            .first(conn)?,
        checkouts::table
            .filter(checkouts::resident_id.eq(id))
            .select(max(checkouts::created_at))
            .first(conn)?,
        checkouts::table
            .filter(checkouts::resident_id.eq(id))
            .select(max(checkouts::paid_at))
            .first(conn)?,
        jobs::table
            .filter(jobs::recipient_id.eq(id))
            .select(max(jobs::updated_at))
            .first(conn)?,
        job_events::table
            .filter(job_events::job_id.eq_any(job_ids))
            .select(max(job_events::at))
            .first(conn)?,
        institution_charges::table
            .filter(institution_charges::job_id.eq_any(job_ids))
            .select(max(institution_charges::created_at))
            .first(conn)?,
    ]);
    Ok(past_retention(last, today))
}

fn purge_resident(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    let cheque_ids: Vec<i64> = cheques::table
        .filter(cheques::owner_resident_id.eq(id))
        .select(cheques::id)
        .load(conn)?;
    let job_ids: Vec<i64> = jobs::table
        .filter(jobs::recipient_id.eq(id))
        .select(jobs::id)
        .load(conn)?;
    let checkout_ids: Vec<i64> = checkouts::table
        .filter(checkouts::resident_id.eq(id))
        .select(checkouts::id)
        .load(conn)?;
    let assignment_ids: Vec<i64> = assignments::table
        .filter(assignments::job_id.eq_any(&job_ids))
        .select(assignments::id)
        .load(conn)?;

    diesel::delete(cheque_events::table.filter(cheque_events::cheque_id.eq_any(&cheque_ids))).execute(conn)?;
    diesel::delete(subsidy_claims::table.filter(subsidy_claims::cheque_id.eq_any(&cheque_ids))).execute(conn)?;
    diesel::delete(stripe_refunds::table.filter(stripe_refunds::cheque_id.eq_any(&cheque_ids))).execute(conn)?;
    diesel::delete(cash_payouts::table.filter(cash_payouts::cheque_id.eq_any(&cheque_ids))).execute(conn)?;
    diesel::delete(cheques::table.filter(cheques::id.eq_any(&cheque_ids))).execute(conn)?;
    // Stripe's payout lines are Stripe's record of the money; they lose the link only.
    diesel::update(stripe_payout_lines::table.filter(stripe_payout_lines::checkout_id.eq_any(&checkout_ids)))
        .set(stripe_payout_lines::checkout_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(checkouts::table.filter(checkouts::id.eq_any(&checkout_ids))).execute(conn)?;
    diesel::delete(cheque_sales::table.filter(cheque_sales::resident_id.eq(id))).execute(conn)?;

    // Participants' hours are their own records (see `purge_participant`); they keep the
    // minutes but no longer point at the resident's job.
    diesel::update(
        work_logs::table.filter(
            work_logs::job_id
                .eq_any(&job_ids)
                .or(work_logs::assignment_id.eq_any(&assignment_ids)),
        ),
    )
    .set((
        work_logs::job_id.eq(None::<i64>),
        work_logs::assignment_id.eq(None::<i64>),
    ))
    .execute(conn)?;
    diesel::delete(assignment_members::table.filter(assignment_members::assignment_id.eq_any(&assignment_ids)))
        .execute(conn)?;
    diesel::delete(assignments::table.filter(assignments::id.eq_any(&assignment_ids))).execute(conn)?;
    diesel::delete(proposal_lines::table.filter(proposal_lines::job_id.eq_any(&job_ids))).execute(conn)?;
    diesel::delete(institution_charges::table.filter(institution_charges::job_id.eq_any(&job_ids))).execute(conn)?;
    // A cheque of someone else (a family member's) that paid for one of these jobs stays
    // redeemed; it only loses the link.
    diesel::update(cheques::table.filter(cheques::redeemed_job_id.eq_any(&job_ids)))
        .set(cheques::redeemed_job_id.eq(None::<i64>))
        .execute(conn)?;
    // Windows and events go with their job (ON DELETE CASCADE), as do eligibility,
    // proxies and call tasks with the resident.
    crate::feedback::store::delete_of_jobs(conn, &job_ids)?;
    diesel::delete(jobs::table.filter(jobs::id.eq_any(&job_ids))).execute(conn)?;
    diesel::delete(residents::table.find(id)).execute(conn)?;
    Ok(())
}

fn participant_last(conn: &mut DbConn, id: i64) -> QueryResult<Option<NaiveDateTime>> {
    Ok(latest([
        work_logs::table
            .filter(work_logs::participant_id.eq(id))
            .select(max(work_logs::ended_at))
            .first(conn)?,
        work_logs::table
            .filter(work_logs::participant_id.eq(id))
            .select(max(work_logs::decided_at))
            .first(conn)?,
        bonus_statements::table
            .filter(bonus_statements::participant_id.eq(id))
            .select(max(bonus_statements::issued_at))
            .first(conn)?,
        assignment_members::table
            .filter(assignment_members::participant_id.eq(id))
            .select(max(assignment_members::ends_at))
            .first(conn)?,
    ]))
}

fn purge_participant(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(work_logs::table.filter(work_logs::participant_id.eq(id))).execute(conn)?;
    diesel::delete(bonus_statements::table.filter(bonus_statements::participant_id.eq(id))).execute(conn)?;
    diesel::delete(assignment_members::table.filter(assignment_members::participant_id.eq(id))).execute(conn)?;
    // Availability, absences, trajectories, preferences and the like go with the record
    // (ON DELETE CASCADE).
    diesel::delete(participants::table.find(id)).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{cutoff, past_retention};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn a_record_is_kept_through_the_end_of_its_year_plus_seven() {
        assert_eq!(cutoff(d("2034-12-31")), d("2027-01-01"));
        assert_eq!(cutoff(d("2035-01-01")), d("2028-01-01"));
        let last = d("2027-12-31").and_hms_opt(23, 0, 0);
        assert!(!past_retention(last, d("2034-12-31")));
        assert!(past_retention(last, d("2035-01-01")));
    }

    #[test]
    fn nothing_to_keep_is_due_at_once() {
        assert!(past_retention(None, d("2026-12-02")));
    }
}

//! Paying confirmed jobs with cheques, in the transaction that confirms them: the
//! recipient's cheques, earliest expiry first, and paper cheques handed over by serial.
//! A cheque is redeemed once: the conditional update lets one transaction win. Both
//! ways of paying lock the recipient's wallet first ([`wallet::lock`]), so jobs
//! confirmed at the same moment each pick cheques the others have not taken.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::store::{self, Cheque};
use super::tariff;
use super::{serial, subsidy, wallet};
use crate::db::DbConn;
use crate::db::schema::jobs as jobs_table;
use crate::error::ApiError;
use crate::jobs::lifecycle::{Action, JobStatus};
use crate::jobs::model::JobRow;
use crate::jobs::{store as jobs, transition};
use crate::ledger::{Account, credit, debit, store as ledger};

/// Minutes of a job already paid with cheques.
fn paid_minutes(conn: &mut DbConn, job_id: i64) -> Result<i64, ApiError> {
    Ok(store::redeemed_for(conn, job_id)?.iter().map(|c| c.face_minutes).sum())
}

/// Minutes still to pay on a confirmed job.
pub fn due_minutes(conn: &mut DbConn, job: &JobRow) -> Result<i64, ApiError> {
    Ok((job.billable_minutes.unwrap_or(0) - paid_minutes(conn, job.id)?).max(0))
}

fn take(
    conn: &mut DbConn,
    job: &JobRow,
    chosen: &[Cheque],
    by: Option<i64>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    // Lowest id first: two jobs handed the same paper cheques in opposite orders would
    // otherwise each hold one the other waits for (PostgreSQL would end one as a deadlock).
    let mut in_lock_order: Vec<&Cheque> = chosen.iter().collect();
    in_lock_order.sort_unstable_by_key(|c| c.id);
    for c in in_lock_order {
        if !store::redeem(conn, c.id, job.id, now)? {
            return Err(ApiError::conflict(
                "cheque_already_redeemed",
                format!("cheque {} was used already", c.serial),
            ));
        }
    }
    let price: i64 = chosen.iter().map(|c| c.price_cents).sum();
    let mut lines = vec![
        debit(Account::ChequeLiability, price),
        credit(Account::ServiceRevenue, price),
    ];
    lines.extend(subsidy::apply(conn, chosen, subsidy::Event::Redemption, today, now)?);
    ledger::post(
        conn,
        today,
        "cheque_redemption",
        &format!("job {}", job.id),
        &lines,
        by,
        now,
    )?;
    Ok(())
}

/// Pays what is due on a confirmed job from the recipient's cheques and settles it; when
/// there are not enough, nothing is taken and the job waits (returns false). A job for an
/// institution is charged to it instead.
pub fn settle(
    conn: &mut DbConn,
    job: &JobRow,
    by: Option<i64>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    if job.status() != JobStatus::Confirmed {
        return Ok(false);
    }
    if let Some(institution) = job.institution_id {
        crate::institutions::billing::charge(conn, job, institution, by, today, now)?;
        transition::apply(conn, job, Action::Settle, by, Some("charged to the institution"), now)?;
        return Ok(true);
    }
    wallet::lock(conn, job.recipient_id)?;
    let mut due = due_minutes(conn, job)?;
    let mut chosen = Vec::new();
    for c in store::usable(conn, job.recipient_id, today)? {
        if due <= 0 {
            break;
        }
        due -= c.face_minutes;
        chosen.push(c);
    }
    if due > 0 {
        return Ok(false);
    }
    if !chosen.is_empty() {
        take(conn, job, &chosen, by, today, now)?;
    }
    transition::apply(conn, job, Action::Settle, by, Some("paid with cheques"), now)?;
    Ok(true)
}

/// Settles the resident's confirmed jobs that were waiting for cheques, oldest first.
pub fn settle_waiting(
    conn: &mut DbConn,
    resident_id: i64,
    by: Option<i64>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Vec<i64>, ApiError> {
    let waiting: Vec<i64> = jobs_table::table
        .filter(jobs_table::recipient_id.eq(resident_id))
        .filter(jobs_table::status.eq(JobStatus::Confirmed.as_str()))
        .order(jobs_table::id)
        .select(jobs_table::id)
        .load(conn)?;
    let mut settled = Vec::new();
    for id in waiting {
        if let Some(job) = jobs::find(conn, id)?
            && settle(conn, &job, by, today, now)?
        {
            settled.push(id);
        }
    }
    Ok(settled)
}

/// Redeems paper cheques handed over for a confirmed job, then settles it if paid.
pub fn redeem_serials(
    conn: &mut DbConn,
    job: &JobRow,
    serials: &[String],
    by: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    if job.status() != JobStatus::Confirmed {
        return Err(transition::invalid(job.status(), Action::Settle));
    }
    wallet::lock(conn, job.recipient_id)?;
    let mut chosen = Vec::new();
    for raw in serials {
        let printed = serial::parse(raw).map_err(|e| match e {
            serial::SerialError::Malformed => {
                ApiError::validation("serials", "invalid_serial", format!("{raw:?} is not a cheque number"))
            }
            serial::SerialError::CheckFailed => ApiError::validation(
                "serials",
                "serial_typo",
                format!("{raw:?} has a typo: check the number"),
            ),
        })?;
        let c = store::by_serial(conn, &printed)?
            .ok_or_else(|| ApiError::validation("serials", "unknown_cheque", format!("no cheque {printed}")))?;
        if c.status != store::SOLD {
            return Err(ApiError::conflict(
                "cheque_already_redeemed",
                format!("cheque {printed} is {}", c.status),
            ));
        }
        if c.valid_until < today {
            return Err(ApiError::validation(
                "serials",
                "cheque_expired",
                format!("cheque {printed} expired on {}", c.valid_until),
            ));
        }
        if c.tariff == tariff::Tariff::Reduced.as_str() && c.owner_resident_id != job.recipient_id {
            return Err(ApiError::validation(
                "serials",
                "reduced_cheque_personal",
                format!("cheque {printed} is a personal reduced-rate cheque of someone else"),
            ));
        }
        if !chosen.iter().any(|x: &Cheque| x.id == c.id) {
            chosen.push(c);
        }
    }
    let due = due_minutes(conn, job)?;
    let offered: i64 = chosen.iter().map(|c| c.face_minutes).sum();
    let smallest = chosen.iter().map(|c| c.face_minutes).min().unwrap_or(0);
    if offered - due >= smallest && smallest > 0 {
        return Err(ApiError::validation(
            "serials",
            "too_many_cheques",
            format!("{due} minutes are due; fewer cheques will do"),
        ));
    }
    take(conn, job, &chosen, Some(by), today, now)?;
    let job = jobs::find(conn, job.id)?.ok_or(ApiError::NotFound)?;
    settle(conn, &job, Some(by), today, now)
}

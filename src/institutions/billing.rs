//! Charging a confirmed job to the institution it was done for.

use chrono::{NaiveDate, NaiveDateTime};

use super::store::{self, NewCharge};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::model::JobRow;
use crate::ledger::{Account, credit, store as ledger, with_dimension};

/// What `minutes` of work cost at an hourly rate, to the cent, halves rounded up.
pub fn amount(minutes: i64, hourly_rate_cents: i64) -> i64 {
    (minutes * hourly_rate_cents + 30).div_euclid(60)
}

/// The journal dimension of an institution's receivable.
pub fn dimension(institution_id: i64) -> String {
    format!("institution {institution_id}")
}

/// Charges the job's billable minutes at the institution's rate of the day and books the
/// receivable. A job is charged once; a second call changes nothing.
pub fn charge(
    conn: &mut DbConn,
    job: &JobRow,
    institution_id: i64,
    by: Option<i64>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let institution = store::find(conn, institution_id)?.ok_or(ApiError::NotFound)?;
    let minutes = job.billable_minutes.unwrap_or(0);
    let cents = amount(minutes, institution.hourly_rate_cents);
    let charged = store::insert_charge(
        conn,
        &NewCharge {
            job_id: job.id,
            institution_id,
            charged_on: today,
            minutes,
            hourly_rate_cents: institution.hourly_rate_cents,
            amount_cents: cents,
        },
        now,
    )?;
    if charged && cents > 0 {
        ledger::post(
            conn,
            today,
            "institution_charge",
            &format!("job {}", job.id),
            &[
                with_dimension(Account::InstitutionReceivable, &dimension(institution_id), cents),
                credit(Account::ServiceRevenue, cents),
            ],
            by,
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::amount;

    #[test]
    fn hours_at_the_rate_to_the_cent() {
        assert_eq!(amount(60, 3250), 3250);
        assert_eq!(amount(180, 3250), 9750);
        assert_eq!(amount(30, 3250), 1625);
        // 15 minutes at € 33,33 is 833.25 cents: 833.
        assert_eq!(amount(15, 3333), 833);
        // 15 minutes at € 33,34 is 833.5 cents: rounded up to 834.
        assert_eq!(amount(15, 3334), 834);
        assert_eq!(amount(0, 3250), 0);
    }
}

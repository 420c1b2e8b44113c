//! Finance settles a refund Stripe made that could not be booked against cheques (the
//! Stripe reconciliation's `refund_not_booked`), so it stops being listed:
//!
//! - part of one of our purchases given back (not a whole number of its unused cheques):
//!   the money left Stripe while the cheques stay valid, so it is booked as goodwill out
//!   of Stripe clearing, which Stripe's next payout lacks;
//! - a refund of a payment not ours: acknowledged without booking, since that payment
//!   passed through Stripe's payouts without ever being ours either.
//!
//! Each settlement takes what the charge's last report left unbooked, once. A later
//! report of the same charge counts what was settled as booked, so nothing is booked
//! twice, and a later part of a cheque is listed again.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{stripe_events, stripe_refund_settlements};
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::ledger::{Account, credit, debit, store as ledger};

/// The report outcome of a refund of one of our purchases that was not whole cheques.
const OURS_NOT_WHOLE: &str = "refund_unmatched";

/// A settled refund.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Settlement {
    /// The Stripe charge refunded.
    pub charge_id: String,
    pub amount_cents: i64,
    /// `goodwill` (part of our purchase given back, booked out of Stripe clearing) or
    /// `not_ours` (a payment not ours, acknowledged without booking).
    pub settled_as: String,
    /// The journal entry of a goodwill settlement.
    pub journal_entry_id: Option<i64>,
    pub note: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub settled_at: NaiveDateTime,
}

/// The charge's last refund report that recorded what it could not book: (event row,
/// unbooked cents, outcome).
fn last_report(conn: &mut DbConn, charge: &str) -> QueryResult<Option<(i64, i64, String)>> {
    stripe_events::table
        .filter(stripe_events::object_id.eq(charge))
        .filter(stripe_events::event_type.eq("charge.refunded"))
        .filter(stripe_events::unbooked_cents.is_not_null())
        .order(stripe_events::id.desc())
        .select((
            stripe_events::id,
            stripe_events::unbooked_cents.assume_not_null(),
            stripe_events::outcome,
        ))
        .first(conn)
        .optional()
}

/// What was settled of `charge` so far: counted as booked by a later report.
pub fn settled_cents(conn: &mut DbConn, charge: &str) -> QueryResult<i64> {
    let rows: Vec<i64> = stripe_refund_settlements::table
        .filter(stripe_refund_settlements::charge_id.eq(charge))
        .select(stripe_refund_settlements::amount_cents)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// Which of the reports `ids` were settled.
pub fn settled_reports(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashSet<i64>> {
    let rows: Vec<i64> = stripe_refund_settlements::table
        .filter(stripe_refund_settlements::report_id.eq_any(ids))
        .select(stripe_refund_settlements::report_id)
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Settles what the last report of `charge` left unbooked, for finance user `by`.
pub fn settle(
    conn: &mut DbConn,
    charge: &str,
    note: &str,
    by: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Settlement, ApiError> {
    // One at a time with Stripe's reports of the same charge: each counts what the other
    // booked.
    db::lock(conn, &format!("stripe-charge:{charge}"))?;
    let (report, cents, outcome) = last_report(conn, charge)?.ok_or(ApiError::NotFound)?;
    if cents <= 0 || !settled_reports(conn, &[report])?.is_empty() {
        return Err(ApiError::conflict(
            "nothing_to_settle",
            "all Stripe refunded of this charge is booked or settled",
        ));
    }
    let ours = outcome == OURS_NOT_WHOLE;
    let entry = if ours {
        let lines = [debit(Account::Goodwill, cents), credit(Account::StripeClearing, cents)];
        Some(ledger::post(
            conn,
            today,
            "stripe_refund_goodwill",
            charge,
            &lines,
            Some(by),
            now,
        )?)
    } else {
        None
    };
    diesel::insert_into(stripe_refund_settlements::table)
        .values((
            stripe_refund_settlements::charge_id.eq(charge),
            stripe_refund_settlements::report_id.eq(report),
            stripe_refund_settlements::amount_cents.eq(cents),
            stripe_refund_settlements::entry_id.eq(entry),
            stripe_refund_settlements::note.eq(note),
            stripe_refund_settlements::settled_by.eq(by),
            stripe_refund_settlements::settled_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Settlement {
        charge_id: charge.to_owned(),
        amount_cents: cents,
        settled_as: if ours { "goodwill" } else { "not_ours" }.to_owned(),
        journal_entry_id: entry,
        note: note.to_owned(),
        settled_at: now,
    })
}

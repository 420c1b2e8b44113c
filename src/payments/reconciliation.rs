//! Stripe against our books: the payouts of a period with what they contained (fees, and
//! each payment matched to a checkout), and every mismatch — a paid session without
//! cheques, online cheques without a payment, amounts that differ, payments in a payout
//! we cannot place, a payout whose contents do not add up.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock;
use crate::db::DbConn;
use crate::db::schema::{checkouts, cheque_sales, stripe_events, stripe_payout_lines, stripe_payouts};
use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutView {
    pub payout_id: String,
    pub arrival_date: NaiveDate,
    pub amount_cents: i64,
    pub fee_cents: i64,
    /// Payments and refunds in the payout.
    pub lines: i64,
    /// Lines whose payment matched one of our checkouts.
    pub matched_lines: i64,
    /// The payout equals the sum of its lines (unknown when Stripe did not list them).
    pub adds_up: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Mismatch {
    /// `paid_without_cheques`, `amount_difference`, `cheques_without_payment`,
    /// `unknown_payment`, `payout_total` or `refund_not_booked` (a refund made in Stripe
    /// that is not a whole number of the purchase's unused cheques, or of a payment not
    /// ours: the amount left Stripe but no cheque was refunded; listed until finance
    /// settles it at `POST /api/v1/finance/stripe-refunds/{charge}/settle`).
    pub kind: String,
    /// The Stripe object or our sale it concerns.
    pub reference: String,
    pub amount_cents: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StripeReconciliation {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub payouts: Vec<PayoutView>,
    pub payouts_cents: i64,
    pub fees_cents: i64,
    /// Online sales booked in the period.
    pub online_sales_cents: i64,
    pub mismatches: Vec<Mismatch>,
}

type PayoutRow = (String, NaiveDate, i64, i64, Option<i64>);

/// Stripe against our books for `[from, to]`, in six reads however many payouts,
/// payments and sales the period holds.
pub fn build(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> Result<StripeReconciliation, ApiError> {
    let (start, end): (NaiveDateTime, NaiveDateTime) = (
        clock::local_midnight_utc(from),
        clock::local_midnight_utc(to.succ_opt().unwrap_or(to)),
    );
    let mut mismatches = Vec::new();
    let payouts = payouts(conn, from, to, &mut mismatches)?;
    session_trouble(conn, start, end, &mut mismatches)?;
    refunds_not_booked(conn, start, end, &mut mismatches)?;
    let online_sales_cents = online_sales(conn, start, end, &mut mismatches)?;
    Ok(StripeReconciliation {
        from,
        to,
        payouts_cents: payouts.iter().map(|p| p.amount_cents).sum(),
        fees_cents: payouts.iter().map(|p| p.fee_cents).sum(),
        payouts,
        online_sales_cents,
        mismatches,
    })
}

/// The payouts that arrived in `[from, to]` with what they contained; a payment we cannot
/// place and a payout whose lines do not add up are mismatches.
fn payouts(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    mismatches: &mut Vec<Mismatch>,
) -> Result<Vec<PayoutView>, ApiError> {
    let rows: Vec<PayoutRow> = stripe_payouts::table
        .filter(stripe_payouts::arrival_date.ge(from))
        .filter(stripe_payouts::arrival_date.le(to))
        .order((stripe_payouts::arrival_date, stripe_payouts::id))
        .select((
            stripe_payouts::payout_id,
            stripe_payouts::arrival_date,
            stripe_payouts::amount_cents,
            stripe_payouts::fee_cents,
            stripe_payouts::lines_net_cents,
        ))
        .load(conn)?;
    let in_period = stripe_payouts::table
        .filter(stripe_payouts::arrival_date.ge(from))
        .filter(stripe_payouts::arrival_date.le(to))
        .select(stripe_payouts::payout_id);
    let all_lines: Vec<(String, String, Option<i64>, i64)> = stripe_payout_lines::table
        .filter(stripe_payout_lines::payout_id.eq_any(in_period))
        .order(stripe_payout_lines::id)
        .select((
            stripe_payout_lines::payout_id,
            stripe_payout_lines::transaction_id,
            stripe_payout_lines::checkout_id,
            stripe_payout_lines::amount_cents,
        ))
        .load(conn)?;
    let mut lines_of: HashMap<String, Vec<(String, Option<i64>, i64)>> = HashMap::new();
    for (payout, txn, checkout, cents) in all_lines {
        lines_of.entry(payout).or_default().push((txn, checkout, cents));
    }
    let mut payouts = Vec::new();
    for (payout_id, arrival_date, amount, fee, net) in rows {
        let lines = lines_of.remove(&payout_id).unwrap_or_default();
        for (txn, checkout, cents) in &lines {
            if checkout.is_none() {
                mismatches.push(Mismatch {
                    kind: "unknown_payment".into(),
                    reference: txn.clone(),
                    amount_cents: Some(*cents),
                });
            }
        }
        let adds_up = net.map(|n| n == amount);
        if adds_up == Some(false) {
            mismatches.push(Mismatch {
                kind: "payout_total".into(),
                reference: payout_id.clone(),
                amount_cents: net.map(|n| amount - n),
            });
        }
        payouts.push(PayoutView {
            matched_lines: lines.iter().filter(|l| l.1.is_some()).count() as i64,
            lines: lines.len() as i64,
            payout_id,
            arrival_date,
            amount_cents: amount,
            fee_cents: fee,
            adds_up,
        });
    }
    Ok(payouts)
}

/// Paid sessions we could not place, or whose amount differs from the checkout's.
fn session_trouble(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    mismatches: &mut Vec<Mismatch>,
) -> Result<(), ApiError> {
    let troubled: Vec<(String, Option<String>, Option<i64>)> = stripe_events::table
        .filter(stripe_events::outcome.eq_any(["unmatched", "amount_mismatch"]))
        .filter(stripe_events::event_type.like("checkout.session.%"))
        .filter(stripe_events::received_at.ge(start))
        .filter(stripe_events::received_at.lt(end))
        .order(stripe_events::id)
        .select((
            stripe_events::outcome,
            stripe_events::object_id,
            stripe_events::amount_cents,
        ))
        .load(conn)?;
    for (outcome, object, cents) in troubled {
        mismatches.push(Mismatch {
            kind: if outcome == "amount_mismatch" {
                "amount_difference"
            } else {
                "paid_without_cheques"
            }
            .into(),
            reference: object.unwrap_or_default(),
            amount_cents: cents,
        });
    }
    Ok(())
}

/// Refunds made in Stripe that could not be booked against cheques.
fn refunds_not_booked(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    mismatches: &mut Vec<Mismatch>,
) -> Result<(), ApiError> {
    // Refunds Stripe reported that could not be booked against cheques: the money left
    // Stripe, so Stripe clearing keeps it until finance settles it. Each report records
    // the charge's state, so the last one in the period counts, unless it was settled.
    let reports: Vec<(i64, Option<String>, Option<i64>)> = stripe_events::table
        .filter(stripe_events::event_type.eq("charge.refunded"))
        .filter(stripe_events::unbooked_cents.is_not_null())
        .filter(stripe_events::received_at.ge(start))
        .filter(stripe_events::received_at.lt(end))
        .order(stripe_events::id)
        .select((
            stripe_events::id,
            stripe_events::object_id,
            stripe_events::unbooked_cents,
        ))
        .load(conn)?;
    let mut last: Vec<(i64, String, i64)> = Vec::new();
    for (report, charge, cents) in reports {
        let (charge, cents) = (charge.unwrap_or_default(), cents.unwrap_or(0));
        last.retain(|(_, c, _)| *c != charge);
        last.push((report, charge, cents));
    }
    let ids: Vec<i64> = last.iter().map(|(report, _, _)| *report).collect();
    let settled = super::settlement::settled_reports(conn, &ids)?;
    let open = last
        .into_iter()
        .filter(|(report, _, cents)| *cents > 0 && !settled.contains(report));
    for (_, charge, cents) in open {
        mismatches.push(Mismatch {
            kind: "refund_not_booked".into(),
            reference: charge,
            amount_cents: Some(cents),
        });
    }
    Ok(())
}

/// What the period's online sales came to; a sale without a payment Stripe told us of is a
/// mismatch.
fn online_sales(
    conn: &mut DbConn,
    start: NaiveDateTime,
    end: NaiveDateTime,
    mismatches: &mut Vec<Mismatch>,
) -> Result<i64, ApiError> {
    let in_period = cheque_sales::table
        .filter(cheque_sales::channel.eq("online"))
        .filter(cheque_sales::created_at.ge(start))
        .filter(cheque_sales::created_at.lt(end));
    let online: Vec<(i64, i64)> = in_period
        .order(cheque_sales::id)
        .select((cheque_sales::id, cheque_sales::total_cents))
        .load(conn)?;
    let paid: HashSet<Option<i64>> = checkouts::table
        .filter(checkouts::payment_intent.is_not_null())
        .filter(checkouts::sale_id.eq_any(in_period.select(cheque_sales::id.nullable())))
        .select(checkouts::sale_id)
        .load::<Option<i64>>(conn)?
        .into_iter()
        .collect();
    for (sale_id, cents) in &online {
        if !paid.contains(&Some(*sale_id)) {
            mismatches.push(Mismatch {
                kind: "cheques_without_payment".into(),
                reference: format!("sale {sale_id}"),
                amount_cents: Some(*cents),
            });
        }
    }
    Ok(online.iter().map(|(_, c)| c).sum())
}

//! What a verified Stripe event does, in one transaction with the record of the event:
//! a delivery of an event id seen before changes nothing.
//!
//! - `checkout.session.completed` with `payment_status = paid`, and
//!   `checkout.session.async_payment_succeeded`: the cheques are issued (Stripe clearing).
//! - `checkout.session.expired`: the checkout is closed.
//! - `charge.refunded`: what Stripe refunded beyond the refunds we asked for ourselves is
//!   booked as refunds of the purchase's unused cheques; what cannot be is recorded on
//!   the event and listed in the Stripe reconciliation.
//! - `payout.paid`: the payout moves from Stripe clearing to the bank.
//!
//! Events we cannot match (an unknown session, an amount that differs) are kept with their
//! outcome for finance, never dropped.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::event::Event;
use super::gateway::Transaction;
use super::store::{self, NewEvent};
use crate::cheques::changes::{self, Change, Payout};
use crate::cheques::sale::{self, Paid, Quote};
use crate::cheques::store::{self as cheques, SOLD};
use crate::cheques::subsidy::SubsidyPolicy;
use crate::cheques::tariff::Tariff;
use crate::cheques::wallet;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::ledger::{Account, credit, debit, store as ledger};

pub const DUPLICATE: &str = "duplicate";

/// Handles an event once; returns what was done with it.
pub fn handle(
    conn: &mut DbConn,
    ev: &Event,
    payout_lines: Option<&[Transaction]>,
    policy: &SubsidyPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<&'static str, ApiError> {
    if store::seen(conn, &ev.id)? {
        return Ok(DUPLICATE);
    }
    let o = &ev.data.object;
    // Recorded first: a concurrent delivery of the same event stops at the unique id.
    store::record_event(
        conn,
        &NewEvent {
            event_id: &ev.id,
            event_type: &ev.kind,
            object_id: o.id.as_deref(),
            amount_cents: o.amount_total.or(o.amount_refunded).or(o.amount),
            outcome: "received",
        },
        now,
    )?;
    let outcome = match ev.kind.as_str() {
        "checkout.session.completed" if o.payment_status.as_deref() == Some("paid") => {
            paid(conn, ev, policy, today, now)?
        }
        "checkout.session.completed" => "awaiting_payment",
        "checkout.session.async_payment_succeeded" => paid(conn, ev, policy, today, now)?,
        "checkout.session.expired" => match o
            .id
            .as_deref()
            .map(|id| store::by_session(conn, id))
            .transpose()?
            .flatten()
        {
            Some(c) if store::mark_expired(conn, c.id)? => "expired",
            Some(_) => "not_open",
            None => "unmatched",
        },
        "charge.refunded" => refunded(conn, ev, today, now)?,
        "payout.paid" => payout(conn, ev, payout_lines, today, now)?,
        _ => "ignored",
    };
    store::set_outcome(conn, &ev.id, outcome)?;
    Ok(outcome)
}

fn paid(
    conn: &mut DbConn,
    ev: &Event,
    policy: &SubsidyPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<&'static str, ApiError> {
    let o = &ev.data.object;
    let Some(checkout) =
        o.id.as_deref()
            .map(|id| store::by_session(conn, id))
            .transpose()?
            .flatten()
    else {
        return Ok("unmatched");
    };
    if checkout.status == store::PAID {
        return Ok("already_paid");
    }
    if o.amount_total.is_some_and(|a| a != checkout.total_cents) {
        return Ok("amount_mismatch");
    }
    // A counter sale to the same resident counts this checkout's cheques against the
    // yearly cap while it is open and as sold once it is paid; under the resident's lock
    // it cannot read between the two.
    wallet::lock(conn, checkout.resident_id)?;
    let product = cheques::product(conn, checkout.product_id)?.ok_or(ApiError::NotFound)?;
    let q = Quote {
        resident_id: checkout.resident_id,
        product,
        quantity: checkout.quantity,
        tariff: if checkout.tariff == Tariff::Reduced.as_str() {
            Tariff::Reduced
        } else {
            Tariff::Regular
        },
        unit_price_cents: checkout.unit_price_cents,
        subsidy_cents: checkout.subsidy_cents,
    };
    let paid = Paid {
        channel: "online",
        cash_session_id: None,
        into: Account::StripeClearing,
        sold_by: None,
    };
    let result = sale::issue(conn, &q, &paid, policy, today, now)?;
    store::mark_paid(conn, checkout.id, result.sale_id, o.payment_intent.as_deref(), now)?;
    if let Some(buyer) = crate::auth::store::find_user(conn, checkout.ordered_by)? {
        crate::cheques::receipt::mail_buyer(conn, result.sale_id, &buyer, now)?;
    }
    Ok("issued")
}

/// Books what Stripe refunded beyond what is booked already: our own refunds are booked
/// when made, a refund made in Stripe's dashboard as refunds of the purchase's unused
/// cheques. What cannot be booked (a payment not ours, an amount that is not a whole
/// number of unused cheques) is recorded on the event as the charge's state, for the
/// Stripe reconciliation: Stripe's `amount_refunded` is the charge's total so far, so
/// each report works from the most reported and what is booked, and a later report that
/// makes up a whole cheque books it and leaves nothing over. What finance settled of the
/// charge counts as booked.
fn refunded(conn: &mut DbConn, ev: &Event, today: NaiveDate, now: NaiveDateTime) -> Result<&'static str, ApiError> {
    let o = &ev.data.object;
    let total = match o.id.as_deref() {
        Some(charge) => {
            // Reports of the same charge one at a time: each counts what the others did.
            crate::db::lock(conn, &format!("stripe-charge:{charge}"))?;
            store::most_refunded_of_charge(conn, charge)? - super::settlement::settled_cents(conn, charge)?
        }
        None => o.amount_refunded.unwrap_or(0),
    };
    let checkout = o
        .payment_intent
        .as_deref()
        .map(|pi| store::by_payment_intent(conn, pi))
        .transpose()?
        .flatten();
    let (outcome, unbooked) = match checkout.and_then(|c| c.sale_id.map(|sale| (c.id, sale))) {
        None => ("unmatched", total),
        Some((checkout_id, sale_id)) => {
            store::lock_refunds(conn, checkout_id)?;
            let excess = total - store::refunded_cents(conn, checkout_id)?;
            if excess <= 0 {
                ("refund_known", 0)
            } else {
                let left = refund_unused(conn, checkout_id, sale_id, excess, today, now)?;
                (if left == 0 { "refunded" } else { "refund_unmatched" }, left)
            }
        }
    };
    store::set_unbooked(conn, &ev.id, unbooked)?;
    Ok(outcome)
}

/// Refunds a purchase's unused cheques, latest expiry first, for as much of `amount` as
/// whole cheques make up; returns what is left.
fn refund_unused(
    conn: &mut DbConn,
    checkout_id: i64,
    sale_id: i64,
    amount: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let mut unused: Vec<_> = cheques::of_sale(conn, sale_id)?
        .into_iter()
        .filter(|c| c.status == SOLD)
        .collect();
    unused.reverse();
    let mut left = amount;
    for c in unused {
        if left < c.price_cents {
            break;
        }
        store::request_refund(conn, c.id, checkout_id, c.price_cents, "succeeded", now)?;
        let change = Change {
            reason: "refunded in Stripe",
            by: None,
            today,
            now,
        };
        changes::refund(conn, &c, Payout::Online, 0, change)?;
        left -= c.price_cents;
    }
    Ok(left)
}

fn payout(
    conn: &mut DbConn,
    ev: &Event,
    lines: Option<&[Transaction]>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<&'static str, ApiError> {
    let o = &ev.data.object;
    let (Some(id), Some(amount)) = (o.id.as_deref(), o.amount) else {
        return Ok("unmatched");
    };
    let arrival = o
        .arrival_date
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .map(crate::clock::local_date)
        .unwrap_or(today);
    if !store::insert_payout(conn, id, amount, arrival, now)? {
        return Ok("already_recorded");
    }
    // What the payout contains, when Stripe told us: fees, and each payment matched.
    let mut fees = 0;
    let mut net = None;
    if let Some(lines) = lines {
        let mut sum = 0;
        for t in lines.iter().filter(|t| t.kind != "payout") {
            let payment = t.source.as_ref().and_then(|s| s.payment_intent.clone());
            let checkout = match &payment {
                Some(pi) => store::by_payment_intent(conn, pi)?.map(|c| c.id),
                None => None,
            };
            store::insert_payout_line(conn, id, t, payment.as_deref(), checkout)?;
            fees += t.fee;
            sum += t.net;
        }
        net = Some(sum);
        store::set_payout_totals(conn, id, fees, sum)?;
    }
    let mut entry = vec![
        debit(Account::Bank, amount),
        credit(Account::StripeClearing, amount + fees),
    ];
    if fees != 0 {
        entry.push(debit(Account::PaymentFees, fees));
    }
    ledger::post(conn, today, "stripe_payout", id, &entry, None, now)?;
    Ok(match net {
        Some(n) if n != amount => "payout_mismatch",
        _ => "payout_recorded",
    })
}

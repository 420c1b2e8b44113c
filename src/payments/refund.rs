//! Refunding a cheque bought online goes back through Stripe: the refund is reserved
//! before the call (so a `charge.refunded` event that arrives first is not taken for a
//! second refund), asked of Stripe under a key per cheque (a retry is the same refund),
//! and booked when Stripe agreed. If Stripe refuses, the reservation is released and the
//! cheque stays as it was.

use chrono::NaiveDateTime;

use super::store;
use crate::cheques::changes::{self, Change, Payout};
use crate::cheques::store::{Cheque, SOLD};
use crate::db::DbConn;
use crate::error::ApiError;

/// A Stripe refund to ask for.
pub struct Reserved {
    pub payment_intent: String,
    pub amount_cents: i64,
    pub idempotency_key: String,
}

pub fn reserve(conn: &mut DbConn, c: &Cheque, fee: i64, now: NaiveDateTime) -> Result<Reserved, ApiError> {
    if c.status != SOLD {
        return Err(ApiError::conflict(
            "cheque_not_refundable",
            format!("a {} cheque cannot be refunded", c.status),
        ));
    }
    let checkout = store::by_sale(conn, c.sale_id)?.ok_or(ApiError::NotFound)?;
    store::lock_refunds(conn, checkout.id)?;
    let payment_intent = checkout.payment_intent.ok_or_else(|| {
        ApiError::conflict(
            "payment_unknown",
            "Stripe did not tell us the payment of this purchase; refund it in Stripe",
        )
    })?;
    let amount = c.price_cents - fee.clamp(0, c.price_cents);
    match store::refund_of(conn, c.id)? {
        None => store::request_refund(conn, c.id, checkout.id, amount, "requested", now)?,
        Some((status, _)) if status == "requested" => {}
        Some(_) => {
            return Err(ApiError::conflict(
                "cheque_not_refundable",
                "this cheque was refunded already",
            ));
        }
    }
    Ok(Reserved {
        payment_intent,
        amount_cents: amount,
        idempotency_key: format!("refund-cheque-{}", c.id),
    })
}

pub fn release(conn: &mut DbConn, c: &Cheque) -> Result<(), ApiError> {
    Ok(store::forget_refund(conn, c.id)?)
}

/// Books the refund Stripe made; the cheque may have been booked by the event already.
pub fn complete(conn: &mut DbConn, c: &Cheque, refund_id: &str, fee: i64, change: Change) -> Result<Cheque, ApiError> {
    let checkout = store::by_sale(conn, c.sale_id)?.ok_or(ApiError::NotFound)?;
    store::lock_refunds(conn, checkout.id)?;
    store::refund_done(conn, c.id, refund_id)?;
    let current = crate::cheques::store::by_serial(conn, &c.serial)?.ok_or(ApiError::NotFound)?;
    if current.status != SOLD {
        return Ok(current);
    }
    changes::refund(conn, &current, Payout::Online, fee, change)
}

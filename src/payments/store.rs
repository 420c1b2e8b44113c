//! Checkouts, Stripe events, refunds and payouts in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::gateway::Transaction;
use crate::db::schema::{checkouts, stripe_events, stripe_payout_lines, stripe_payouts, stripe_refunds};
use crate::db::{self, DbConn};

pub const OPEN: &str = "open";
pub const PAID: &str = "paid";
pub const EXPIRED: &str = "expired";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = checkouts)]
pub struct Checkout {
    pub id: i64,
    /// Our reference, also in the Stripe session's metadata.
    pub reference: String,
    pub stripe_session_id: String,
    pub resident_id: i64,
    pub ordered_by: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub tariff: String,
    pub unit_price_cents: i64,
    #[serde(skip)]
    pub subsidy_cents: i64,
    pub total_cents: i64,
    /// `open`, `paid` or `expired`.
    pub status: String,
    #[serde(skip)]
    pub payment_intent: Option<String>,
    pub sale_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub paid_at: Option<NaiveDateTime>,
    /// Until when it can be paid: Stripe expires the payment page then. Empty for a
    /// checkout made before this was kept (24 hours after it was made).
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub payable_until: Option<NaiveDateTime>,
}

pub struct NewCheckout<'a> {
    pub reference: &'a str,
    pub stripe_session_id: &'a str,
    pub resident_id: i64,
    pub ordered_by: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub tariff: &'a str,
    pub unit_price_cents: i64,
    pub subsidy_cents: i64,
    pub payable_until: Option<NaiveDateTime>,
}

pub fn by_session(conn: &mut DbConn, session: &str) -> QueryResult<Option<Checkout>> {
    checkouts::table
        .filter(checkouts::stripe_session_id.eq(session))
        .select(Checkout::as_select())
        .first(conn)
        .optional()
}

pub fn by_reference(conn: &mut DbConn, reference: &str) -> QueryResult<Option<Checkout>> {
    checkouts::table
        .filter(checkouts::reference.eq(reference))
        .select(Checkout::as_select())
        .first(conn)
        .optional()
}

pub fn by_payment_intent(conn: &mut DbConn, pi: &str) -> QueryResult<Option<Checkout>> {
    checkouts::table
        .filter(checkouts::payment_intent.eq(pi))
        .select(Checkout::as_select())
        .first(conn)
        .optional()
}

pub fn by_sale(conn: &mut DbConn, sale_id: i64) -> QueryResult<Option<Checkout>> {
    checkouts::table
        .filter(checkouts::sale_id.eq(sale_id))
        .select(Checkout::as_select())
        .first(conn)
        .optional()
}

/// Records a checkout once per Stripe session: the same session (a retried request with
/// the same key) gives back the row made the first time.
pub fn insert_once(conn: &mut DbConn, c: &NewCheckout<'_>, now: NaiveDateTime) -> QueryResult<Checkout> {
    if let Some(existing) = by_session(conn, c.stripe_session_id)? {
        return Ok(existing);
    }
    diesel::insert_into(checkouts::table)
        .values((
            checkouts::reference.eq(c.reference),
            checkouts::stripe_session_id.eq(c.stripe_session_id),
            checkouts::resident_id.eq(c.resident_id),
            checkouts::ordered_by.eq(c.ordered_by),
            checkouts::product_id.eq(c.product_id),
            checkouts::quantity.eq(c.quantity),
            checkouts::tariff.eq(c.tariff),
            checkouts::unit_price_cents.eq(c.unit_price_cents),
            checkouts::subsidy_cents.eq(c.subsidy_cents),
            checkouts::total_cents.eq(c.unit_price_cents * c.quantity),
            checkouts::status.eq(OPEN),
            checkouts::created_at.eq(now),
            checkouts::payable_until.eq(c.payable_until),
        ))
        .returning(checkouts::all_columns)
        .get_result(conn)
}

/// Marks an open checkout paid with its sale; false when it was not open any more.
pub fn mark_paid(
    conn: &mut DbConn,
    id: i64,
    sale_id: i64,
    payment_intent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        checkouts::table
            .filter(checkouts::id.eq(id))
            .filter(checkouts::status.ne(PAID)),
    )
    .set((
        checkouts::status.eq(PAID),
        checkouts::sale_id.eq(sale_id),
        checkouts::payment_intent.eq(payment_intent),
        checkouts::paid_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn mark_expired(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        checkouts::table
            .filter(checkouts::id.eq(id))
            .filter(checkouts::status.eq(OPEN)),
    )
    .set(checkouts::status.eq(EXPIRED))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn seen(conn: &mut DbConn, event_id: &str) -> QueryResult<bool> {
    let n: i64 = stripe_events::table
        .filter(stripe_events::event_id.eq(event_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub struct NewEvent<'a> {
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub object_id: Option<&'a str>,
    pub amount_cents: Option<i64>,
    pub outcome: &'a str,
}

pub fn record_event(conn: &mut DbConn, e: &NewEvent<'_>, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(stripe_events::table)
        .values((
            stripe_events::event_id.eq(e.event_id),
            stripe_events::event_type.eq(e.event_type),
            stripe_events::object_id.eq(e.object_id),
            stripe_events::amount_cents.eq(e.amount_cents),
            stripe_events::outcome.eq(e.outcome),
            stripe_events::received_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_outcome(conn: &mut DbConn, event_id: &str, outcome: &str) -> QueryResult<()> {
    diesel::update(stripe_events::table.filter(stripe_events::event_id.eq(event_id)))
        .set(stripe_events::outcome.eq(outcome))
        .execute(conn)
        .map(|_| ())
}

/// Records what of a charge's refunds could not be booked, as of this report.
pub fn set_unbooked(conn: &mut DbConn, event_id: &str, cents: i64) -> QueryResult<()> {
    diesel::update(stripe_events::table.filter(stripe_events::event_id.eq(event_id)))
        .set(stripe_events::unbooked_cents.eq(cents))
        .execute(conn)
        .map(|_| ())
}

/// The most Stripe has reported refunded of this charge (`amount_refunded` is the
/// charge's total so far, and reports may come out of order).
pub fn most_refunded_of_charge(conn: &mut DbConn, charge_id: &str) -> QueryResult<i64> {
    let most: Option<i64> = stripe_events::table
        .filter(stripe_events::object_id.eq(charge_id))
        .filter(stripe_events::event_type.eq("charge.refunded"))
        .select(diesel::dsl::max(stripe_events::amount_cents))
        .first(conn)?;
    Ok(most.unwrap_or(0))
}

/// Refund amounts already accounted for on a checkout (asked for or done).
pub fn refunded_cents(conn: &mut DbConn, checkout_id: i64) -> QueryResult<i64> {
    let rows: Vec<i64> = stripe_refunds::table
        .filter(stripe_refunds::checkout_id.eq(checkout_id))
        .select(stripe_refunds::amount_cents)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// (status, refund id) of the refund asked for a cheque, if any.
/// Holds off other refunds of the purchase until the transaction ends ([`db::lock`]):
/// finance's refund (reserved, asked of Stripe, booked) and Stripe's report of a refund
/// each check what is refunded already and then write, so on PostgreSQL a double click,
/// or a report arriving meanwhile, would otherwise write the same refund twice.
pub fn lock_refunds(conn: &mut DbConn, checkout_id: i64) -> QueryResult<()> {
    db::lock(conn, &format!("checkout-refunds:{checkout_id}"))
}

pub fn refund_of(conn: &mut DbConn, cheque_id: i64) -> QueryResult<Option<(String, Option<String>)>> {
    stripe_refunds::table
        .filter(stripe_refunds::cheque_id.eq(cheque_id))
        .select((stripe_refunds::status, stripe_refunds::refund_id))
        .first(conn)
        .optional()
}

pub fn request_refund(
    conn: &mut DbConn,
    cheque_id: i64,
    checkout_id: i64,
    amount: i64,
    status: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(stripe_refunds::table)
        .values((
            stripe_refunds::cheque_id.eq(cheque_id),
            stripe_refunds::checkout_id.eq(checkout_id),
            stripe_refunds::amount_cents.eq(amount),
            stripe_refunds::status.eq(status),
            stripe_refunds::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn refund_done(conn: &mut DbConn, cheque_id: i64, refund_id: &str) -> QueryResult<()> {
    diesel::update(stripe_refunds::table.filter(stripe_refunds::cheque_id.eq(cheque_id)))
        .set((
            stripe_refunds::status.eq("succeeded"),
            stripe_refunds::refund_id.eq(refund_id),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn forget_refund(conn: &mut DbConn, cheque_id: i64) -> QueryResult<()> {
    diesel::delete(
        stripe_refunds::table
            .filter(stripe_refunds::cheque_id.eq(cheque_id))
            .filter(stripe_refunds::status.eq("requested")),
    )
    .execute(conn)
    .map(|_| ())
}

/// Records a payout once; false when it was recorded before.
pub fn insert_payout(
    conn: &mut DbConn,
    payout_id: &str,
    amount: i64,
    arrival: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n: i64 = stripe_payouts::table
        .filter(stripe_payouts::payout_id.eq(payout_id))
        .count()
        .get_result(conn)?;
    if n > 0 {
        return Ok(false);
    }
    diesel::insert_into(stripe_payouts::table)
        .values((
            stripe_payouts::payout_id.eq(payout_id),
            stripe_payouts::amount_cents.eq(amount),
            stripe_payouts::arrival_date.eq(arrival),
            stripe_payouts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

pub fn insert_payout_line(
    conn: &mut DbConn,
    payout_id: &str,
    t: &Transaction,
    payment_intent: Option<&str>,
    checkout_id: Option<i64>,
) -> QueryResult<()> {
    let known: i64 = stripe_payout_lines::table
        .filter(stripe_payout_lines::transaction_id.eq(&t.id))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(());
    }
    diesel::insert_into(stripe_payout_lines::table)
        .values((
            stripe_payout_lines::payout_id.eq(payout_id),
            stripe_payout_lines::transaction_id.eq(&t.id),
            stripe_payout_lines::kind.eq(&t.kind),
            stripe_payout_lines::amount_cents.eq(t.amount),
            stripe_payout_lines::fee_cents.eq(t.fee),
            stripe_payout_lines::net_cents.eq(t.net),
            stripe_payout_lines::payment_intent.eq(payment_intent),
            stripe_payout_lines::checkout_id.eq(checkout_id),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_payout_totals(conn: &mut DbConn, payout_id: &str, fees: i64, net: i64) -> QueryResult<()> {
    diesel::update(stripe_payouts::table.filter(stripe_payouts::payout_id.eq(payout_id)))
        .set((
            stripe_payouts::fee_cents.eq(fees),
            stripe_payouts::lines_net_cents.eq(net),
        ))
        .execute(conn)
        .map(|_| ())
}

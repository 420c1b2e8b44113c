//! Cheque products and prices, sales and cheques in the database (cash sessions:
//! `cash_sessions.rs`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;
use utoipa::ToSchema;

use super::tariff::Price;
use crate::db::schema::{checkouts, cheque_prices, cheque_products, cheque_sales, cheques};
use crate::db::{self, DbConn};

pub const SOLD: &str = "sold";
pub const REDEEMED: &str = "redeemed";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = cheque_products)]
pub struct Product {
    pub id: i64,
    pub name: String,
    /// Minutes of work one cheque pays for.
    pub face_minutes: i64,
    /// Reduced cheques one resident may buy per calendar year, if limited.
    pub reduced_yearly_cap: Option<i64>,
    pub active: bool,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// Months a cheque stays valid from its sale; absent: until the end of the calendar
    /// year after the purchase.
    pub validity_months: Option<i64>,
}

pub struct NewProduct<'a> {
    pub name: &'a str,
    pub face_minutes: i64,
    pub reduced_yearly_cap: Option<i64>,
    pub validity_months: Option<i64>,
}

pub fn create_product(conn: &mut DbConn, p: &NewProduct<'_>, now: NaiveDateTime) -> QueryResult<Product> {
    diesel::insert_into(cheque_products::table)
        .values((
            cheque_products::name.eq(p.name),
            cheque_products::face_minutes.eq(p.face_minutes),
            cheque_products::reduced_yearly_cap.eq(p.reduced_yearly_cap),
            cheque_products::validity_months.eq(p.validity_months),
            cheque_products::active.eq(true),
            cheque_products::created_at.eq(now),
        ))
        .returning(cheque_products::all_columns)
        .get_result(conn)
}

pub fn products(conn: &mut DbConn) -> QueryResult<Vec<Product>> {
    cheque_products::table
        .order(cheque_products::id)
        .select(Product::as_select())
        .load(conn)
}

pub fn product(conn: &mut DbConn, id: i64) -> QueryResult<Option<Product>> {
    cheque_products::table
        .find(id)
        .select(Product::as_select())
        .first(conn)
        .optional()
}

pub fn set_price(
    conn: &mut DbConn,
    product_id: i64,
    p: &Price,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    // Two replacing the same day's price at once would both delete, then one insert
    // would fail on the other's row (PostgreSQL).
    db::lock(conn, &format!("cheque-price:{product_id}:{}", p.valid_from))?;
    diesel::delete(
        cheque_prices::table
            .filter(cheque_prices::product_id.eq(product_id))
            .filter(cheque_prices::valid_from.eq(p.valid_from)),
    )
    .execute(conn)?;
    diesel::insert_into(cheque_prices::table)
        .values((
            cheque_prices::product_id.eq(product_id),
            cheque_prices::valid_from.eq(p.valid_from),
            cheque_prices::regular_cents.eq(p.regular_cents),
            cheque_prices::reduced_cents.eq(p.reduced_cents),
            cheque_prices::created_by.eq(by),
            cheque_prices::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn prices(conn: &mut DbConn, product_id: i64) -> QueryResult<Vec<Price>> {
    let rows: Vec<(NaiveDate, i64, i64)> = cheque_prices::table
        .filter(cheque_prices::product_id.eq(product_id))
        .order(cheque_prices::valid_from)
        .select((
            cheque_prices::valid_from,
            cheque_prices::regular_cents,
            cheque_prices::reduced_cents,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(valid_from, regular_cents, reduced_cents)| Price {
            valid_from,
            regular_cents,
            reduced_cents,
        })
        .collect())
}

pub struct NewSale<'a> {
    pub channel: &'a str,
    pub cash_session_id: Option<i64>,
    pub resident_id: i64,
    pub sold_by: Option<i64>,
    pub product_id: i64,
    pub quantity: i64,
    pub tariff: &'a str,
    pub unit_price_cents: i64,
}

pub fn insert_sale(conn: &mut DbConn, s: &NewSale<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(cheque_sales::table)
        .values((
            cheque_sales::channel.eq(s.channel),
            cheque_sales::cash_session_id.eq(s.cash_session_id),
            cheque_sales::resident_id.eq(s.resident_id),
            cheque_sales::sold_by.eq(s.sold_by),
            cheque_sales::product_id.eq(s.product_id),
            cheque_sales::quantity.eq(s.quantity),
            cheque_sales::tariff.eq(s.tariff),
            cheque_sales::unit_price_cents.eq(s.unit_price_cents),
            cheque_sales::total_cents.eq(s.unit_price_cents * s.quantity),
            cheque_sales::created_at.eq(now),
        ))
        .returning(cheque_sales::id)
        .get_result(conn)
}

/// Reduced cheques a resident bought in a calendar year (for the purchase cap).
pub fn reduced_bought(
    conn: &mut DbConn,
    resident_id: i64,
    product_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    let rows: Vec<i64> = cheque_sales::table
        .filter(cheque_sales::resident_id.eq(resident_id))
        .filter(cheque_sales::product_id.eq(product_id))
        .filter(cheque_sales::tariff.eq("reduced"))
        .filter(cheque_sales::created_at.ge(from))
        .filter(cheque_sales::created_at.lt(to))
        .select(cheque_sales::quantity)
        .load(conn)?;
    Ok(rows.iter().sum())
}

/// How long a checkout recorded without its own expiry can be paid: Stripe's default
/// for a Checkout Session, 24 hours.
pub const LEGACY_CHECKOUT_PAYABLE: chrono::Duration = chrono::Duration::hours(24);

/// How long past its expiry a checkout still counts: Stripe's clock and ours may differ.
pub const CHECKOUT_CLOCK_MARGIN: chrono::Duration = chrono::Duration::minutes(5);

/// Reduced cheques of a product in the resident's online checkouts that can still be paid
/// at `now` (open, not past their expiry): once paid they are issued at the price quoted,
/// so they count against the yearly cap from the start, and only until then.
pub fn reduced_in_checkout(
    conn: &mut DbConn,
    resident_id: i64,
    product_id: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let payable = checkouts::payable_until
        .ge(now - CHECKOUT_CLOCK_MARGIN)
        .assume_not_null()
        .or(checkouts::payable_until
            .is_null()
            .and(checkouts::created_at.ge(now - LEGACY_CHECKOUT_PAYABLE)));
    let rows: Vec<i64> = checkouts::table
        .filter(checkouts::resident_id.eq(resident_id))
        .filter(checkouts::product_id.eq(product_id))
        .filter(checkouts::tariff.eq("reduced"))
        .filter(checkouts::status.eq(crate::payments::store::OPEN))
        .filter(payable)
        .select(checkouts::quantity)
        .load(conn)?;
    Ok(rows.iter().sum())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = cheques)]
pub struct Cheque {
    #[serde(skip)]
    pub id: i64,
    pub serial: String,
    pub sale_id: i64,
    pub product_id: i64,
    pub owner_resident_id: i64,
    pub face_minutes: i64,
    /// `regular` or `reduced`.
    pub tariff: String,
    /// What was paid for it.
    pub price_cents: i64,
    /// What the municipality pays on top (reduced cheques).
    pub subsidy_cents: i64,
    /// `sold`, `redeemed`, `refunded`, `expired` or `void`.
    pub status: String,
    pub valid_until: NaiveDate,
    pub redeemed_job_id: Option<i64>,
    #[serde(serialize_with = "crate::clock::utc")]
    pub status_changed_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// The municipality that pays the subsidy.
    pub municipality: String,
    /// When the subsidy is claimed: `on_redemption` or `on_sale`.
    pub subsidy_claim: String,
}

pub struct NewCheque<'a> {
    pub serial: &'a str,
    pub sale_id: i64,
    pub product_id: i64,
    pub owner_resident_id: i64,
    pub face_minutes: i64,
    pub tariff: &'a str,
    pub price_cents: i64,
    pub subsidy_cents: i64,
    pub valid_until: NaiveDate,
    pub municipality: &'a str,
    pub subsidy_claim: &'a str,
}

pub fn insert_cheque(conn: &mut DbConn, c: &NewCheque<'_>, now: NaiveDateTime) -> QueryResult<Cheque> {
    diesel::insert_into(cheques::table)
        .values((
            cheques::serial.eq(c.serial),
            cheques::sale_id.eq(c.sale_id),
            cheques::product_id.eq(c.product_id),
            cheques::owner_resident_id.eq(c.owner_resident_id),
            cheques::face_minutes.eq(c.face_minutes),
            cheques::tariff.eq(c.tariff),
            cheques::price_cents.eq(c.price_cents),
            cheques::subsidy_cents.eq(c.subsidy_cents),
            cheques::status.eq(SOLD),
            cheques::valid_until.eq(c.valid_until),
            cheques::status_changed_at.eq(now),
            cheques::municipality.eq(c.municipality),
            cheques::subsidy_claim.eq(c.subsidy_claim),
            cheques::created_at.eq(now),
        ))
        .returning(cheques::all_columns)
        .get_result(conn)
}

pub fn by_serial(conn: &mut DbConn, serial: &str) -> QueryResult<Option<Cheque>> {
    cheques::table
        .filter(cheques::serial.eq(serial))
        .select(Cheque::as_select())
        .first(conn)
        .optional()
}

/// Usable cheques of an owner on a day, earliest expiry first.
pub fn usable(conn: &mut DbConn, resident_id: i64, on: NaiveDate) -> QueryResult<Vec<Cheque>> {
    cheques::table
        .filter(cheques::owner_resident_id.eq(resident_id))
        .filter(cheques::status.eq(SOLD))
        .filter(cheques::valid_until.ge(on))
        .order((cheques::valid_until, cheques::id))
        .select(Cheque::as_select())
        .load(conn)
}

/// Marks a cheque redeemed for a job if it is still sold; returns whether this call did.
/// The condition makes a cheque redeemable once, however many try at the same moment.
pub fn redeem(conn: &mut DbConn, id: i64, job_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        cheques::table
            .filter(cheques::id.eq(id))
            .filter(cheques::status.eq(SOLD)),
    )
    .set((
        cheques::status.eq(REDEEMED),
        cheques::redeemed_job_id.eq(job_id),
        cheques::status_changed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn redeemed_for(conn: &mut DbConn, job_id: i64) -> QueryResult<Vec<Cheque>> {
    cheques::table
        .filter(cheques::redeemed_job_id.eq(job_id))
        .select(Cheque::as_select())
        .load(conn)
}

/// The value of every cheque still sold: what the cheque liability must equal.
pub fn outstanding_cents(conn: &mut DbConn) -> QueryResult<i64> {
    cheques::table
        .filter(cheques::status.eq(SOLD))
        .select(diesel::dsl::sql::<BigInt>(
            "CAST(COALESCE(SUM(price_cents), 0) AS BIGINT)",
        ))
        .get_result(conn)
}

/// The subsidy claimed on sale for cheques still sold: what deferred subsidy must equal.
pub fn deferred_subsidy_cents(conn: &mut DbConn) -> QueryResult<i64> {
    cheques::table
        .filter(cheques::status.eq(SOLD))
        .filter(cheques::subsidy_claim.eq("on_sale"))
        .select(diesel::dsl::sql::<BigInt>(
            "CAST(COALESCE(SUM(subsidy_cents), 0) AS BIGINT)",
        ))
        .get_result(conn)
}

pub fn of_sale(conn: &mut DbConn, sale_id: i64) -> QueryResult<Vec<Cheque>> {
    cheques::table
        .filter(cheques::sale_id.eq(sale_id))
        .order((cheques::valid_until, cheques::id))
        .select(Cheque::as_select())
        .load(conn)
}

/// Whose cheques sale `sale_id` sold, if there is such a sale.
pub fn sale_resident(conn: &mut DbConn, sale_id: i64) -> QueryResult<Option<i64>> {
    cheque_sales::table
        .find(sale_id)
        .select(cheque_sales::resident_id)
        .first(conn)
        .optional()
}

/// How a sale was paid: `cash`, `pin` or `online`.
pub fn sale_channel(conn: &mut DbConn, sale_id: i64) -> QueryResult<String> {
    cheque_sales::table
        .find(sale_id)
        .select(cheque_sales::channel)
        .first(conn)
}

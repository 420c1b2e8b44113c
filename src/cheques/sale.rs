//! Selling cheques, in one transaction: tariff by eligibility on the day, the yearly cap
//! on reduced cheques, the cheques with their serials, the journal, and any confirmed job
//! of the resident that was waiting for cheques is settled. The counter sells at once;
//! an online purchase is quoted when the checkout starts and issued when Stripe says paid.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cash_sessions;
use super::redeem;
use super::serial;
use super::store::{self, Cheque, NewCheque, NewSale, Product};
use super::subsidy::{self, SubsidyPolicy};
use super::tariff::{self, Tariff};
use super::wallet;
use crate::clock;
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::ledger::{Account, credit, debit, store as ledger};
use crate::residents::{eligibility, eligibility_store, store as residents};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Payment {
    Cash,
    Pin,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaleResult {
    pub sale_id: i64,
    /// The printable receipt (also mailed when the resident has an email address).
    pub receipt_url: String,
    pub tariff: Tariff,
    pub unit_price_cents: i64,
    pub total_cents: i64,
    pub cheques: Vec<Cheque>,
    /// Jobs that were waiting for cheques and are now paid.
    pub settled_job_ids: Vec<i64>,
}

pub struct CounterSale {
    pub cash_session_id: i64,
    pub resident_id: i64,
    pub product_id: i64,
    pub quantity: i64,
    pub payment: Payment,
}

/// What a resident pays for a number of cheques today.
#[derive(Debug, Clone)]
pub struct Quote {
    pub resident_id: i64,
    pub product: Product,
    pub quantity: i64,
    pub tariff: Tariff,
    pub unit_price_cents: i64,
    pub subsidy_cents: i64,
}

impl Quote {
    pub fn total_cents(&self) -> i64 {
        self.unit_price_cents * self.quantity
    }
}

/// Prices a purchase: the reduced tariff when the resident is 70-plus or has a Wmo period
/// today, within the yearly cap on reduced cheques (counting those bought this year and
/// those in online checkouts that can still be paid).
pub fn quote(
    conn: &mut DbConn,
    resident_id: i64,
    product_id: i64,
    quantity: i64,
    today: NaiveDate,
) -> Result<Quote, ApiError> {
    if !(1..=50).contains(&quantity) {
        return Err(ApiError::validation("quantity", "out_of_range", "1 to 50 cheques"));
    }
    residents::hold(conn, resident_id)?;
    let resident = residents::find(conn, resident_id)?
        .ok_or_else(|| ApiError::validation("resident_id", "unknown_resident", "no such resident"))?
        .still_recordable(Some("resident_id"))?;
    let product = store::product(conn, product_id)?
        .filter(|p| p.active)
        .ok_or_else(|| ApiError::validation("product_id", "unknown_product", "no such cheque"))?;
    let price = tariff::price_on(&store::prices(conn, product.id)?, today)
        .ok_or_else(|| ApiError::validation("product_id", "no_price", "this cheque has no price today"))?;
    let periods: Vec<_> = eligibility_store::for_resident(conn, resident.id)?
        .iter()
        .map(|p| p.as_rule())
        .collect();
    let reduced = eligibility::decide(resident.birth_date, &periods, today).reduced_rate;
    let (tariff, unit, subsidy) = tariff::quote(price, reduced);
    if tariff == Tariff::Reduced
        && let Some(cap) = product.reduced_yearly_cap
    {
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let next = NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).unwrap_or(today);
        let bought = store::reduced_bought(
            conn,
            resident.id,
            product.id,
            clock::local_midnight_utc(year_start),
            clock::local_midnight_utc(next),
        )?;
        let paying = store::reduced_in_checkout(conn, resident.id, product.id, db::now())?;
        if bought + paying + quantity > cap {
            let detail = if paying > 0 {
                format!(
                    "at most {cap} reduced cheques a year; {bought} bought already and {paying} in a payment online"
                )
            } else {
                format!("at most {cap} reduced cheques a year; {bought} bought already")
            };
            return Err(ApiError::validation("quantity", "reduced_cap_reached", detail));
        }
    }
    Ok(Quote {
        resident_id: resident.id,
        product,
        quantity,
        tariff,
        unit_price_cents: unit,
        subsidy_cents: subsidy,
    })
}

/// How the cheques were paid for.
pub struct Paid {
    /// `cash`, `pin` or `online`.
    pub channel: &'static str,
    pub cash_session_id: Option<i64>,
    /// The account the money came into.
    pub into: Account,
    pub sold_by: Option<i64>,
}

/// Issues the quoted cheques, books the sale and settles the resident's waiting jobs.
pub fn issue(
    conn: &mut DbConn,
    q: &Quote,
    paid: &Paid,
    policy: &SubsidyPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<SaleResult, ApiError> {
    let sale_id = store::insert_sale(
        conn,
        &NewSale {
            channel: paid.channel,
            cash_session_id: paid.cash_session_id,
            resident_id: q.resident_id,
            sold_by: paid.sold_by,
            product_id: q.product.id,
            quantity: q.quantity,
            tariff: q.tariff.as_str(),
            unit_price_cents: q.unit_price_cents,
        },
        now,
    )?;
    let valid_until = tariff::valid_until(today, q.product.validity_months);
    let mut cheques = Vec::new();
    for _ in 0..q.quantity {
        let serial = serial::generate();
        cheques.push(store::insert_cheque(
            conn,
            &NewCheque {
                serial: &serial,
                sale_id,
                product_id: q.product.id,
                owner_resident_id: q.resident_id,
                face_minutes: q.product.face_minutes,
                tariff: q.tariff.as_str(),
                price_cents: q.unit_price_cents,
                subsidy_cents: q.subsidy_cents,
                valid_until,
                municipality: &policy.municipality,
                subsidy_claim: policy.claim.as_str(),
            },
            now,
        )?);
    }
    let total = q.total_cents();
    let mut lines = vec![debit(paid.into, total), credit(Account::ChequeLiability, total)];
    lines.extend(subsidy::apply(conn, &cheques, subsidy::Event::Sale, today, now)?);
    ledger::post(
        conn,
        today,
        "cheque_sale",
        &format!("sale {sale_id}"),
        &lines,
        paid.sold_by,
        now,
    )?;
    let settled_job_ids = redeem::settle_waiting(conn, q.resident_id, paid.sold_by, today, now)?;
    super::receipt::mail(conn, sale_id, now)?;
    Ok(SaleResult {
        receipt_url: format!("/api/v1/cheque-sales/{sale_id}/receipt"),
        sale_id,
        tariff: q.tariff,
        unit_price_cents: q.unit_price_cents,
        total_cents: total,
        cheques,
        settled_job_ids,
    })
}

/// A sale at the counter inside an open cash session.
///
/// Two locks keep it consistent with what runs beside it on PostgreSQL (SQLite has one
/// writer at a time anyway): the session's, shared, so a close waits for the sales under
/// way and counts their cash; and the resident's wallet ([`wallet::lock`]).
pub fn sell(
    conn: &mut DbConn,
    by: i64,
    req: &CounterSale,
    policy: &SubsidyPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<SaleResult, ApiError> {
    let session = cash_sessions::lock_open(conn, req.cash_session_id)?;
    wallet::lock(conn, req.resident_id)?;
    let q = quote(conn, req.resident_id, req.product_id, req.quantity, today)?;
    let (channel, into) = match req.payment {
        Payment::Cash => ("cash", Account::CashDrawer),
        Payment::Pin => ("pin", Account::PinClearing),
    };
    let paid = Paid {
        channel,
        cash_session_id: Some(session.id),
        into,
        sold_by: Some(by),
    };
    issue(conn, &q, &paid, policy, today, now)
}

//! Selling cheques at the counter, in one transaction: tariff by eligibility on the day,
//! the yearly cap on reduced cheques, the cheques with their serials, the journal, and
//! any confirmed job of the resident that was waiting for cheques is settled.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::redeem;
use super::serial;
use super::store::{self, Cheque, NewCheque, NewSale};
use super::subsidy::{self, SubsidyPolicy};
use super::tariff::{self, Tariff};
use crate::clock;
use crate::db::DbConn;
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

pub fn sell(
    conn: &mut DbConn,
    by: i64,
    req: &CounterSale,
    policy: &SubsidyPolicy,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<SaleResult, ApiError> {
    if !(1..=50).contains(&req.quantity) {
        return Err(ApiError::validation("quantity", "out_of_range", "1 to 50 cheques"));
    }
    let session = store::session(conn, req.cash_session_id)?
        .filter(|s| s.closed_at.is_none())
        .ok_or_else(|| ApiError::validation("cash_session_id", "no_open_session", "open a cash session first"))?;
    let resident = residents::find(conn, req.resident_id)?
        .ok_or_else(|| ApiError::validation("resident_id", "unknown_resident", "no such resident"))?;
    let product = store::product(conn, req.product_id)?
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
        if bought + req.quantity > cap {
            return Err(ApiError::validation(
                "quantity",
                "reduced_cap_reached",
                format!("at most {cap} reduced cheques a year; {bought} bought already"),
            ));
        }
    }
    let channel = match req.payment {
        Payment::Cash => "cash",
        Payment::Pin => "pin",
    };
    let sale_id = store::insert_sale(
        conn,
        &NewSale {
            channel,
            cash_session_id: Some(session.id),
            resident_id: resident.id,
            sold_by: Some(by),
            product_id: product.id,
            quantity: req.quantity,
            tariff: tariff.as_str(),
            unit_price_cents: unit,
        },
        now,
    )?;
    let valid_until = tariff::valid_until(today, product.validity_months);
    let mut cheques = Vec::new();
    for _ in 0..req.quantity {
        let serial = serial::generate();
        cheques.push(store::insert_cheque(
            conn,
            &NewCheque {
                serial: &serial,
                sale_id,
                product_id: product.id,
                owner_resident_id: resident.id,
                face_minutes: product.face_minutes,
                tariff: tariff.as_str(),
                price_cents: unit,
                subsidy_cents: subsidy,
                valid_until,
                municipality: &policy.municipality,
                subsidy_claim: policy.claim.as_str(),
            },
            now,
        )?);
    }
    let total = unit * req.quantity;
    let money = if req.payment == Payment::Cash {
        Account::CashDrawer
    } else {
        Account::PinClearing
    };
    let mut lines = vec![debit(money, total), credit(Account::ChequeLiability, total)];
    lines.extend(subsidy::apply(conn, &cheques, subsidy::Event::Sale, today, now)?);
    ledger::post(
        conn,
        today,
        "cheque_sale",
        &format!("sale {sale_id}"),
        &lines,
        Some(by),
        now,
    )?;
    let settled_job_ids = redeem::settle_waiting(conn, resident.id, Some(by), today, now)?;
    super::receipt::mail(conn, sale_id, now)?;
    Ok(SaleResult {
        receipt_url: format!("/api/v1/cheque-sales/{sale_id}/receipt"),
        sale_id,
        tariff,
        unit_price_cents: unit,
        total_cents: total,
        cheques,
        settled_job_ids,
    })
}

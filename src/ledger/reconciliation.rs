//! The reconciliation report: how the cheque liability moved over a period, by sales
//! (per tariff and channel), redemptions, refunds and expiries, with the check that
//! opening + sales − redemptions − refunds − expiries = closing, to the cent. Every
//! figure comes from the journal, the one place money is recorded.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::balances::{self, Sums};
use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::db::schema::cash_sessions;
use crate::db::{self, DbConn, DbPool};
use crate::domain::decimal;
use crate::error::{ApiError, Problem};
use crate::period::PeriodQuery;
use crate::read_cache::{self, ReadCache};
use crate::request_query::Query;
use crate::{clock, csv};

#[derive(Debug, Serialize, ToSchema)]
pub struct SalesLine {
    /// `regular` or `reduced`.
    pub tariff: String,
    /// `cash`, `pin` or `online`.
    pub channel: String,
    pub sales: i64,
    pub cheques: i64,
    pub cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashDifference {
    pub cash_session_id: i64,
    pub expected_cents: i64,
    pub counted_cents: i64,
    pub difference_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Reconciliation {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// What residents held in unused cheques at the start and at the end.
    pub opening_liability_cents: i64,
    pub closing_liability_cents: i64,
    pub sales_cents: i64,
    pub sales: Vec<SalesLine>,
    pub redemptions_cents: i64,
    /// Refunds and voids.
    pub refunds_cents: i64,
    /// Expired value (breakage), less expired cheques given back by an extension.
    pub expiries_cents: i64,
    /// Liability moved by anything else (should be zero).
    pub unexplained_cents: i64,
    /// opening + sales − redemptions − refunds − expiries − closing (+ unexplained): zero
    /// when the books reconcile.
    pub difference_cents: i64,
    pub balanced: bool,
    /// Subsidy claimed in the period, and what the municipality owes at the end.
    pub subsidy_claimed_cents: i64,
    pub subsidy_receivable_cents: i64,
    /// Money received from Stripe but not yet paid out at the end (fees included).
    pub stripe_clearing_cents: i64,
    pub payouts_cents: i64,
    pub cash_differences: Vec<CashDifference>,
    pub cash_difference_cents: i64,
}

#[derive(QueryableByName)]
struct SaleSum {
    #[diesel(sql_type = Text)]
    tariff: String,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = BigInt)]
    sales: i64,
    #[diesel(sql_type = BigInt)]
    cheques: i64,
    #[diesel(sql_type = BigInt)]
    cents: i64,
}

/// Movements on an account, by entry kind.
fn movements<'a>(sums: &'a Sums, account: &'a str) -> impl Iterator<Item = (&'a str, i64)> + 'a {
    sums.iter()
        .filter(move |((a, _), _)| a == account)
        .map(|((_, kind), cents)| (kind.as_str(), *cents))
}

/// An account's balance from sums.
fn balance(sums: &Sums, account: &str) -> i64 {
    movements(sums, account).map(|(_, cents)| cents).sum()
}

pub fn build(conn: &mut DbConn, from: NaiveDate, to: NaiveDate) -> Result<Reconciliation, ApiError> {
    let before = balances::sums(conn, None, from.pred_opt().unwrap_or(from))?;
    let during = balances::sums(conn, Some(from), to)?;
    let at_end = |a: &str| balance(&before, a) + balance(&during, a);
    let opening = -balance(&before, "cheque_liability");
    let closing = -at_end("cheque_liability");
    let (mut sales, mut redemptions, mut refunds, mut expiries, mut unexplained) = (0, 0, 0, 0, 0);
    for (kind, cents) in movements(&during, "cheque_liability") {
        match kind {
            "cheque_sale" => sales -= cents,
            "cheque_redemption" => redemptions += cents,
            "cheque_refund" | "cheque_void" => refunds += cents,
            "cheque_expiry" | "cheque_reinstated" => expiries += cents,
            _ => unexplained -= cents,
        }
    }
    let lines: Vec<SaleSum> = diesel::sql_query(
        "SELECT s.tariff AS tariff, s.channel AS channel, CAST(COUNT(*) AS BIGINT) AS sales, \
         CAST(SUM(s.quantity) AS BIGINT) AS cheques, CAST(SUM(s.total_cents) AS BIGINT) AS cents \
         FROM journal_entries e JOIN cheque_sales s ON e.reference = 'sale ' || CAST(s.id AS TEXT) \
         WHERE e.kind = 'cheque_sale' AND e.entry_date >= $1 AND e.entry_date <= $2 \
         GROUP BY s.tariff, s.channel ORDER BY s.tariff, s.channel",
    )
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    let claimed: i64 = movements(&during, "subsidy_receivable")
        .filter(|(kind, _)| *kind != "subsidy_payment")
        .map(|(_, cents)| cents)
        .sum();
    let payouts: i64 = movements(&during, "bank")
        .filter(|(kind, _)| *kind == "stripe_payout")
        .map(|(_, cents)| cents)
        .sum();
    let sessions: Vec<(i64, Option<i64>, Option<i64>)> = cash_sessions::table
        .filter(cash_sessions::closed_at.ge(clock::local_midnight_utc(from)))
        .filter(cash_sessions::closed_at.lt(clock::local_midnight_utc(to.succ_opt().unwrap_or(to))))
        .order(cash_sessions::id)
        .select((
            cash_sessions::id,
            cash_sessions::expected_cents,
            cash_sessions::counted_cents,
        ))
        .load(conn)?;
    let cash_differences: Vec<CashDifference> = sessions
        .into_iter()
        .filter_map(|(id, expected, counted)| {
            let (expected, counted) = (expected?, counted?);
            Some(CashDifference {
                cash_session_id: id,
                expected_cents: expected,
                counted_cents: counted,
                difference_cents: counted - expected,
            })
        })
        .collect();
    let difference = opening + sales - redemptions - refunds - expiries + unexplained - closing;
    Ok(Reconciliation {
        from,
        to,
        opening_liability_cents: opening,
        closing_liability_cents: closing,
        sales_cents: sales,
        sales: lines
            .into_iter()
            .map(|l| SalesLine {
                tariff: l.tariff,
                channel: l.channel,
                sales: l.sales,
                cheques: l.cheques,
                cents: l.cents,
            })
            .collect(),
        redemptions_cents: redemptions,
        refunds_cents: refunds,
        expiries_cents: expiries,
        unexplained_cents: unexplained,
        difference_cents: difference,
        balanced: difference == 0 && unexplained == 0,
        subsidy_claimed_cents: claimed,
        subsidy_receivable_cents: at_end("subsidy_receivable"),
        stripe_clearing_cents: at_end("stripe_clearing"),
        payouts_cents: payouts,
        cash_difference_cents: cash_differences.iter().map(|d| d.difference_cents).sum(),
        cash_differences,
    })
}

fn as_csv(r: &Reconciliation) -> String {
    let row = |a: &str, b: &str, cents: i64| csv::line(&[a.to_owned(), b.to_owned(), decimal(cents)]);
    let mut body = csv::line(&["section".into(), "item".into(), "amount".into()]);
    body.push_str(&row("liability", "opening", r.opening_liability_cents));
    for l in &r.sales {
        body.push_str(&row(
            "sales",
            &format!("{} {} ({} cheques)", l.tariff, l.channel, l.cheques),
            l.cents,
        ));
    }
    body.push_str(&row("liability", "sales", r.sales_cents));
    body.push_str(&row("liability", "redemptions", -r.redemptions_cents));
    body.push_str(&row("liability", "refunds", -r.refunds_cents));
    body.push_str(&row("liability", "expiries", -r.expiries_cents));
    body.push_str(&row("liability", "closing", r.closing_liability_cents));
    body.push_str(&row(
        "check",
        if r.balanced { "passed" } else { "difference" },
        r.difference_cents,
    ));
    body.push_str(&row("subsidy", "claimed", r.subsidy_claimed_cents));
    body.push_str(&row("subsidy", "receivable at end", r.subsidy_receivable_cents));
    body.push_str(&row("stripe", "clearing at end", r.stripe_clearing_cents));
    body.push_str(&row("stripe", "payouts", r.payouts_cents));
    for d in &r.cash_differences {
        body.push_str(&row(
            "cash",
            &format!("session {}", d.cash_session_id),
            d.difference_cents,
        ));
    }
    body
}

/// How the cheque liability moved between two days, with the check that it reconciles.
/// `Accept: text/csv` gives CSV.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `Accept: text/csv`)", content((Reconciliation = "application/json"), (String = "text/csv"))),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match` (JSON)"),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reconciliation")]
pub async fn report(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    cache: web::Data<ReadCache>,
    query: Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let r = db::run_snapshot(&pool, move |conn| build(conn, from, to));
    if csv::wanted(&req) {
        let r = r.await?;
        return Ok(csv::attachment(&format!("reconciliation-{from}-{to}.csv"), as_csv(&r)));
    }
    read_cache::json(&cache, &req, format!("reconciliation {from} {to}"), r).await
}

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::db::schema::{cheques, residents, subsidy_claims as claims};
use crate::db::{self, DbPool};
use crate::domain::decimal;
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::ledger::periods::{invalid_month, parse_month};
use crate::request_query::Query;
use crate::{clock, csv};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClaimQuery {
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-11")]
    pub month: String,
    /// Defaults to the configured municipality.
    pub municipality: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimLine {
    pub serial: String,
    /// What made the claim: `redemption` (or `sale` when claimed on sale), or what
    /// reversed it: `refund`, `void` or `expiry` (negative amounts).
    pub event: String,
    pub claimed_on: NaiveDate,
    pub sold_on: NaiveDate,
    pub regular_cents: i64,
    pub reduced_cents: i64,
    /// Claimed (positive) or reversed (negative).
    pub subsidy_cents: i64,
    pub wijk: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubsidyClaim {
    pub municipality: String,
    pub month: String,
    /// Lines claiming (reversals not counted).
    pub cheques: i64,
    /// The net claim for the month.
    pub subsidy_cents: i64,
    pub lines: Vec<ClaimLine>,
}

#[derive(Queryable)]
struct ClaimRow {
    event: String,
    claimed_on: NaiveDate,
    amount: i64,
    serial: String,
    sold_at: chrono::NaiveDateTime,
    price: i64,
    subsidy: i64,
    wijk: Option<String>,
}

/// What the municipality owes for a month: for every reduced cheque redeemed in it, the
/// regular price less the reduced one (with `subsidy_claim = on_sale`: claimed when sold,
/// and reversed when such a cheque is refunded, voided or expires). `Accept: text/csv`
/// gives CSV.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(ClaimQuery),
    responses(
        (status = 200, description = "The claim (JSON, or CSV with `Accept: text/csv`)", content((SubsidyClaim = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/subsidy-claims")]
pub async fn subsidy_claims(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    query: Query<ClaimQuery>,
) -> Result<HttpResponse, ApiError> {
    let ClaimQuery { month, municipality } = query.into_inner();
    let (first, next) = parse_month(&month).ok_or_else(invalid_month)?;
    let municipality = municipality.unwrap_or_else(|| settings.subsidy.municipality.clone());
    let (m, muni) = (month.clone(), municipality.clone());
    let claim = db::run_snapshot(&pool, move |conn| {
        let rows: Vec<ClaimRow> = claims::table
            .inner_join(cheques::table.inner_join(residents::table))
            .filter(claims::municipality.eq(&muni))
            .filter(claims::claimed_on.ge(first))
            .filter(claims::claimed_on.lt(next))
            .order((claims::claimed_on, claims::id))
            .select((
                claims::event,
                claims::claimed_on,
                claims::amount_cents,
                cheques::serial,
                cheques::created_at,
                cheques::price_cents,
                cheques::subsidy_cents,
                residents::wijk,
            ))
            .load(conn)?;
        let lines: Vec<ClaimLine> = rows
            .into_iter()
            .map(|r| ClaimLine {
                sold_on: clock::local_date(r.sold_at.and_utc()),
                regular_cents: r.price + r.subsidy,
                reduced_cents: r.price,
                subsidy_cents: r.amount,
                serial: r.serial,
                event: r.event,
                claimed_on: r.claimed_on,
                wijk: r.wijk,
            })
            .collect();
        Ok(SubsidyClaim {
            municipality: muni,
            month: m,
            cheques: lines.iter().filter(|l| l.subsidy_cents > 0).count() as i64,
            subsidy_cents: lines.iter().map(|l| l.subsidy_cents).sum(),
            lines,
        })
    })
    .await?;
    if csv::wanted(&req) {
        let mut body = csv::line(
            &[
                "serial",
                "event",
                "claimed_on",
                "sold_on",
                "regular",
                "reduced",
                "subsidy",
                "wijk",
            ]
            .map(String::from),
        );
        for l in &claim.lines {
            body.push_str(&csv::line(&[
                l.serial.clone(),
                l.event.clone(),
                l.claimed_on.to_string(),
                l.sold_on.to_string(),
                decimal(l.regular_cents),
                decimal(l.reduced_cents),
                decimal(l.subsidy_cents),
                l.wijk.clone().unwrap_or_default(),
            ]));
        }
        let mut total = vec![String::new(); 8];
        total[0] = "total".into();
        total[6] = decimal(claim.subsidy_cents);
        body.push_str(&csv::line(&total));
        return Ok(csv::attachment(&format!("subsidy-{month}.csv"), body));
    }
    Ok(HttpResponse::Ok().json(claim))
}

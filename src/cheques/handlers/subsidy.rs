use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::MUNICIPALITY;
use crate::cheques::store::{Cheque, REDEEMED};
use crate::db::schema::cheques;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::residents::store as residents;
use crate::{clock, csv};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClaimQuery {
    /// `YYYY-MM`.
    pub month: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimLine {
    pub serial: String,
    pub sold_on: NaiveDate,
    pub redeemed_on: NaiveDate,
    pub regular_cents: i64,
    pub reduced_cents: i64,
    pub subsidy_cents: i64,
    pub wijk: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubsidyClaim {
    pub municipality: String,
    pub month: String,
    pub cheques: i64,
    pub subsidy_cents: i64,
    pub lines: Vec<ClaimLine>,
}

fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((first, next))
}

/// What the municipality owes for a month: for every reduced cheque redeemed in it, the
/// regular price less the reduced one. `Accept: text/csv` gives CSV.
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
#[get("/finance/subsidy-claims")]
pub async fn subsidy_claims(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: web::Query<ClaimQuery>,
) -> Result<HttpResponse, ApiError> {
    let month = query.into_inner().month;
    let (first, next) = month_bounds(&month)
        .ok_or_else(|| ApiError::validation("month", "invalid_month", "a month looks like 2026-05"))?;
    let m = month.clone();
    let claim = db::run(&pool, move |conn| {
        let rows: Vec<Cheque> = cheques::table
            .filter(cheques::status.eq(REDEEMED))
            .filter(cheques::subsidy_cents.gt(0))
            .filter(cheques::status_changed_at.ge(clock::local_midnight_utc(first)))
            .filter(cheques::status_changed_at.lt(clock::local_midnight_utc(next)))
            .order(cheques::status_changed_at)
            .select(Cheque::as_select())
            .load(conn)?;
        let local = |t: NaiveDateTime| clock::local_date(t.and_utc());
        let mut lines = Vec::new();
        for c in rows {
            let wijk = residents::find(conn, c.owner_resident_id)?.and_then(|r| r.wijk);
            lines.push(ClaimLine {
                sold_on: local(c.created_at),
                redeemed_on: local(c.status_changed_at),
                regular_cents: c.price_cents + c.subsidy_cents,
                reduced_cents: c.price_cents,
                subsidy_cents: c.subsidy_cents,
                wijk,
                serial: c.serial,
            });
        }
        Ok(SubsidyClaim {
            municipality: MUNICIPALITY.into(),
            month: m,
            cheques: lines.len() as i64,
            subsidy_cents: lines.iter().map(|l| l.subsidy_cents).sum(),
            lines,
        })
    })
    .await?;
    if csv::wanted(&req) {
        let mut body = csv::line(
            &[
                "serial",
                "sold_on",
                "redeemed_on",
                "regular",
                "reduced",
                "subsidy",
                "wijk",
            ]
            .map(String::from),
        );
        let euro = |c: i64| format!("{}.{:02}", c / 100, c % 100);
        for l in &claim.lines {
            body.push_str(&csv::line(&[
                l.serial.clone(),
                l.sold_on.to_string(),
                l.redeemed_on.to_string(),
                euro(l.regular_cents),
                euro(l.reduced_cents),
                euro(l.subsidy_cents),
                l.wijk.clone().unwrap_or_default(),
            ]));
        }
        body.push_str(&csv::line(&[
            "total".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            euro(claim.subsidy_cents),
            String::new(),
        ]));
        return Ok(HttpResponse::Ok()
            .content_type(csv::CONTENT_TYPE)
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"subsidy-{month}.csv\""),
            ))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(claim))
}

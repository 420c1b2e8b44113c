use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::{CoordinatorOnly, FinanceDesk, ParticipantAccount};
use crate::clock;
use crate::csv;
use crate::db::{self, DbPool};
use crate::domain::euros;
use crate::error::{ApiError, Problem};
use crate::hours::statements::{self, Statement};
use crate::hours::store;
use crate::participants::store as participants;
use crate::request_body::Json;
use crate::request_query::Query;

#[derive(Debug, Serialize, ToSchema)]
pub struct RateView {
    pub valid_from: NaiveDate,
    pub cents_per_hour: i64,
}

/// The bonus rates by date (€1 an hour unless changed).
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rates, oldest first", body = Vec<RateView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_rates(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<RateView>>, ApiError> {
    let rates = db::run(&pool, |conn| Ok(store::rates(conn)?)).await?;
    Ok(web::Json(
        rates
            .into_iter()
            .map(|r| RateView {
                valid_from: r.valid_from,
                cents_per_hour: r.cents_per_hour,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub valid_from: NaiveDate,
    #[schema(minimum = 0, maximum = 10000)]
    pub cents_per_hour: i64,
}

/// Sets the bonus rate from a date on.
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    request_body = RateInput,
    responses(
        (status = 204, description = "Set"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rate out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn add_rate(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    body: Json<RateInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, input) = (coordinator.id, body.into_inner());
    if !(0..=10_000).contains(&input.cents_per_hour) {
        return Err(ApiError::validation(
            "cents_per_hour",
            "out_of_range",
            "0 to 10000 cents an hour",
        ));
    }
    db::run_tx(&pool, move |conn| {
        Ok(store::add_rate(
            conn,
            input.valid_from,
            input.cents_per_hour,
            by,
            db::now(),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatementQuery {
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i64,
}

const CSV_HEADER: [&str; 7] = ["participant_id", "name", "year", "hours", "amount", "issued", "to_pay"];

/// Every participant with a participatiebaan in the year, those who left included: hours
/// per month and amount, what was issued and what remains. `Accept: text/csv` gives the
/// payout export.
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    params(StatementQuery),
    responses(
        (status = 200, description = "Statements (JSON, or CSV with `Accept: text/csv`)", content(
            (Vec<Statement> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Invalid year", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Year out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_statements(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: Query<StatementQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = query.year;
    let list = db::run_snapshot(&pool, move |conn| statements::for_year(conn, year, None)).await?;
    if csv::wanted(&req) {
        let mut body = csv::line(&CSV_HEADER.map(String::from));
        for s in &list {
            body.push_str(&csv::line(&[
                s.participant_id.to_string(),
                s.participant_name.clone(),
                s.year.to_string(),
                format!("{}:{:02}", s.minutes / 60, s.minutes % 60),
                format!("{}.{:02}", s.amount_cents / 100, s.amount_cents % 100),
                format!("{}.{:02}", s.issued_amount_cents / 100, s.issued_amount_cents % 100),
                format!("{}.{:02}", s.outstanding_cents / 100, s.outstanding_cents.abs() % 100),
            ]));
        }
        return Ok(csv::attachment(&format!("bonus-{year}.csv"), body));
    }
    Ok(HttpResponse::Ok().json(list))
}

/// The caller's own statement for a year.
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    params(("year" = i64, Path, description = "Year", minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, description = "Your statement", body = Statement),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participatiebaan that year", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Year out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bonus-statements/{year}")]
pub async fn own_statement(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
    year: web::Path<i64>,
) -> Result<web::Json<Statement>, ApiError> {
    let (user_id, year) = (user.id, year.into_inner());
    let s = db::run_snapshot(&pool, move |conn| {
        let me = participants::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        statements::for_year(conn, year, Some(me.id))?
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(s))
}

/// Freezes the year's statements. Issuing again later adds supplements for what changed;
/// issued statements are never altered.
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    params(("year" = i64, Path, description = "Year", minimum = 2000, maximum = 2100)),
    responses(
        (status = 200, description = "The statements after issuing", body = Vec<Statement>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Year out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{year}/issue")]
pub async fn issue_statements(
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    year: web::Path<i64>,
) -> Result<web::Json<Vec<Statement>>, ApiError> {
    let (by, year) = (staff.id, year.into_inner());
    let list = db::run_tx(&pool, move |conn| {
        db::lock(conn, &format!("bonus-issue:{year}"))?;
        statements::issue(conn, year, by, clock::today(), db::now())
    })
    .await?;
    Ok(web::Json(list))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A printable statement for one participant, in Dutch.
#[utoipa::path(
    tag = "bonus",
    security(("bearer" = [])),
    params(("year" = i64, Path, description = "Year", minimum = 2000, maximum = 2100), ("participant_id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "HTML, ready to print", body = String, content_type = "text/html"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participatiebaan that year", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Year out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{year}/{participant_id}/printable")]
pub async fn printable_statement(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (year, pid) = path.into_inner();
    let s = db::run_snapshot(&pool, move |conn| {
        statements::for_year(conn, year, Some(pid))?
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound)
    })
    .await?;
    let rows: String = s
        .months
        .iter()
        .map(|m| {
            let name = crate::notify::spoken_dates::MAANDEN
                .get(m.month as usize - 1)
                .copied()
                .unwrap_or("");
            format!(
                "<tr><td>{name}</td><td style=\"text-align:right\">{}:{:02}</td></tr>",
                m.minutes / 60,
                m.minutes % 60
            )
        })
        .collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Bonusoverzicht {year}</title></head>\
         <body style=\"font-family: Verdana, sans-serif; font-size: 16px; max-width: 640px; margin: 2em auto\">\
         <h1>Bonusoverzicht {year}</h1><p>{}</p>\
         <p>Per gewerkt uur in je participatiebaan ontvang je een bonus. Dit zijn je goedgekeurde uren:</p>\
         <table style=\"border-collapse: collapse; width: 100%\"><tr><th style=\"text-align:left\">Maand</th><th style=\"text-align:right\">Uren</th></tr>{rows}\
         <tr><td><strong>Totaal</strong></td><td style=\"text-align:right\"><strong>{}:{:02}</strong></td></tr></table>\
         <p>Bonus: <strong>{}</strong>. Al uitgegeven: {}. Nog uit te betalen: <strong>{}</strong>.</p>\
         <p>Servicepunt &middot; Service voor de Wijk</p></body></html>",
        escape(&s.participant_name),
        s.minutes / 60,
        s.minutes % 60,
        euros(s.amount_cents),
        euros(s.issued_amount_cents),
        euros(s.outstanding_cents),
    );
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

//! HTTP endpoints for the books.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::journal::{self, AccountQuery, JournalPage};
use super::periods::{self, Periods};
use super::store::{self, TrialBalance};
use crate::auth::RequireRole;
use crate::auth::extract::{CoordinatorOnly, FinanceDesk};
use crate::cheques::store as cheques;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::required_note;
use crate::pagination::PageQuery;
use crate::period::PeriodQuery;
use crate::request_body::Json;
use crate::request_query::Query;
use crate::{clock, csv};

/// Under `/api/v1/finance`.
pub fn finance_routes(cfg: &mut ServiceConfig) {
    cfg.service(trial_balance)
        .service(list_periods)
        .service(close_period)
        .service(reopen_period)
        .service(journal_page)
        .service(super::reconciliation::report);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TrialBalanceQuery {
    /// The day to take the balances on (default today).
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialBalanceReport {
    #[serde(flatten)]
    pub balance: TrialBalance,
    /// The value of every cheque still `sold` (what the residents hold).
    pub cheques_outstanding_cents: i64,
    /// Whether the liability account equals the outstanding cheques (today's books only).
    pub liability_matches_cheques: Option<bool>,
    /// Subsidy claimed on sale for cheques still `sold`.
    pub subsidy_deferred_outstanding_cents: i64,
    /// Whether the deferred-subsidy account equals that (today's books only).
    pub deferred_subsidy_matches_cheques: Option<bool>,
}

/// Every account's balance on a day; the books always balance, the cheque liability
/// equals the value of the cheques still held and the deferred subsidy their claimed part.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(TrialBalanceQuery),
    responses(
        (status = 200, description = "The trial balance", body = TrialBalanceReport),
        (status = 400, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trial-balance")]
pub async fn trial_balance(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: Query<TrialBalanceQuery>,
) -> Result<web::Json<TrialBalanceReport>, ApiError> {
    let today = clock::today();
    let on = query.on.unwrap_or(today);
    let report = db::run_snapshot(&pool, move |conn| {
        let balance = store::trial_balance(conn, on)?;
        let outstanding = cheques::outstanding_cents(conn)?;
        let liability = balance.accounts.get("cheque_liability").copied().unwrap_or(0);
        let deferred = cheques::deferred_subsidy_cents(conn)?;
        let deferred_balance = balance.accounts.get("subsidy_deferred").copied().unwrap_or(0);
        Ok(TrialBalanceReport {
            deferred_subsidy_matches_cheques: (on >= today).then_some(-deferred_balance == deferred),
            subsidy_deferred_outstanding_cents: deferred,
            liability_matches_cheques: (on >= today).then_some(-liability == outstanding),
            cheques_outstanding_cents: outstanding,
            balance,
        })
    })
    .await?;
    Ok(web::Json(report))
}

/// Closed months and every close and reopen.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Periods", body = Periods),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/periods")]
pub async fn list_periods(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Periods>, ApiError> {
    Ok(web::Json(db::run(&pool, periods::list).await?))
}

/// Closes a month that is over: no journal line can be dated in it any more.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")),
    responses(
        (status = 204, description = "Closed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month, or not over yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods/{month}/close")]
pub async fn close_period(
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    month: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (by, month) = (staff.id, month.into_inner());
    db::run_tx(&pool, move |conn| {
        periods::close(conn, &month, by, clock::today(), db::now())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// Reopens a closed month (the coordinator, with a reason; audited).
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(("month" = String, Path, description = "`YYYY-MM`", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")),
    request_body = ReopenInput,
    responses(
        (status = 204, description = "Reopened"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month, or no reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods/{month}/reopen")]
pub async fn reopen_period(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    month: web::Path<String>,
    body: Json<ReopenInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, month) = (coordinator.id, month.into_inner());
    let reason = required_note(body.into_inner().reason, "reason", "say why")?;
    db::run_tx(&pool, move |conn| periods::reopen(conn, &month, by, &reason, db::now())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The journal of a period: its entries with their lines, by date; with `account`, that
/// account's card (its balance before and after the period, and the entries that moved
/// it). `Accept: text/csv` gives the whole period, one row per line (only the account's
/// lines with `account`), for the accounting package.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(PeriodQuery, AccountQuery, PageQuery),
    responses(
        (status = 200, description = "A page of entries (JSON, or every line as CSV with `Accept: text/csv`)", content((JournalPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts, an unknown account, or too many lines for one CSV", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/journal")]
pub async fn journal_page(
    req: HttpRequest,
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    period: Query<PeriodQuery>,
    account: Query<AccountQuery>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = period.into_inner().days()?;
    let account = account.account()?;
    let page = page.into_inner();
    if csv::wanted(&req) {
        let body = db::run_snapshot(&pool, move |conn| journal::csv(conn, from, to, account)).await?;
        let name = account.map_or("journal", |a| a.as_str());
        return Ok(csv::attachment(&format!("{name}-{from}-{to}.csv"), body));
    }
    let out = db::run_snapshot(&pool, move |conn| journal::page(conn, from, to, account, &page)).await?;
    Ok(HttpResponse::Ok().json(out))
}

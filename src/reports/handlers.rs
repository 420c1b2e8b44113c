use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::flow::{self, TrajectoryFlow};
use super::ladder::{self, LadderReport};
use super::monthly::{self, MonthlyReport};
use crate::auth::RequireRole;
use crate::auth::extract::CoordinatorOnly;
use crate::clock;
use crate::csv;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::institutions::activity::{self, InstitutionActivityReport};
use crate::institutions::activity_store;
use crate::ledger::periods::{invalid_month, parse_month};
use crate::period::PeriodQuery;
use crate::request_query::Query;

/// Under `/api/v1/reports`.
pub fn reports_routes(cfg: &mut ServiceConfig) {
    cfg.service(monthly_report)
        .service(trajectory_flow)
        .service(ladder_report)
        .service(institution_activity);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    #[param(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-11")]
    pub month: String,
}

/// The month in figures for the coordinator and the municipality: jobs by service and
/// wijk, hours delivered (to 70-plus and Wmo residents, and on institutions' accounts,
/// among them), residents served,
/// waiting list and waiting times, refusals by reason, participants by trajectory, hours
/// worked and exits; the minutes of klussen and of diensten and the income from the
/// services, against the month's targets when set. Counts and sums only, no personal
/// data.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(MonthQuery),
    responses(
        (status = 200, description = "The report", body = MonthlyReport),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a month", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/monthly")]
pub async fn monthly_report(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<MonthQuery>,
) -> Result<web::Json<MonthlyReport>, ApiError> {
    let month = query.into_inner().month;
    let (first, next) = parse_month(&month).ok_or_else(invalid_month)?;
    let report = db::run_snapshot(&pool, move |conn| monthly::build(conn, &month, first, next)).await?;
    Ok(web::Json(report))
}

/// Trajectories in and out over a period (a quarter, for the municipality), by kind: how
/// many ran when it began, started, ended and why (an exit reason, `continued` into a
/// next trajectory, or `reached_end` with nothing after it), and ran when it ended.
/// Counts only, no personal data.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report", body = TrajectoryFlow),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/trajectories")]
pub async fn trajectory_flow(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<PeriodQuery>,
) -> Result<web::Json<TrajectoryFlow>, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let stays = db::run(&pool, |conn| Ok(super::flow_store::stays(conn)?)).await?;
    Ok(web::Json(flow::flow(&stays, from, to, clock::today())))
}

/// The participation ladder over a period (a month for the coaches' overview, a quarter
/// for the municipality), by kind of trajectory: of the participants reviewed in it, how
/// many moved up, stayed or moved down since their review before it, how many had their
/// first, and the steps they stand on now. Counts only, no personal data.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report", body = LadderReport),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ladder")]
pub async fn ladder_report(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<PeriodQuery>,
) -> Result<web::Json<LadderReport>, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let reviews = db::run(&pool, move |conn| Ok(super::ladder_store::reviewed(conn, to)?)).await?;
    Ok(web::Json(ladder::ladder(&reviews, from, to)))
}

/// What the service did for each institution over a period (a quarter, for the meeting
/// with partners): jobs ordered, performed, cancelled and refused, hours by service,
/// what was charged, regular arrangements running, compliments and complaints, and its
/// jobs on the waiting list now. Every active institution is listed; an inactive one
/// when something happened for it. Counts and sums only, no personal data.
/// `Accept: text/csv` gives CSV.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `Accept: text/csv`)", content(
            (InstitutionActivityReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The period ends before it starts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/institutions")]
pub async fn institution_activity(
    req: HttpRequest,
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let report = db::run_snapshot(&pool, move |conn| Ok(activity_store::report(conn, from, to)?)).await?;
    if csv::wanted(&req) {
        return Ok(csv::attachment(
            &format!("institutions-{from}-{to}.csv"),
            activity::csv(&report),
        ));
    }
    Ok(HttpResponse::Ok().json(report))
}

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::competition::{self, CompetitionLine};
use crate::jobs::store;
use crate::period::PeriodQuery;
use crate::request_query::Query;
use crate::{clock, csv};

/// Jobs refused (competition and other reasons) and jobs that needed a werkleider's review
/// under the anti-splitting rule, for the municipality and the entrepreneurs' association;
/// the month so far unless the days are named. `Accept: text/csv` gives CSV.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `Accept: text/csv`)", content(
            (Vec<CompetitionLine> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is before `from` (invalid_period)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/competition")]
pub async fn competition_report(
    req: HttpRequest,
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<PeriodQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = query.into_inner().days()?;
    let until = to.succ_opt().unwrap_or(to);
    let (start, end) = (clock::local_midnight_utc(from), clock::local_midnight_utc(until));
    let lines = db::run_snapshot(&pool, move |conn| {
        let found = store::competition(conn, start, end)?;
        Ok(found
            .into_iter()
            .map(|(job, service)| competition::line(job, service))
            .collect::<Vec<_>>())
    })
    .await?;
    if csv::wanted(&req) {
        let body = competition::csv(&lines);
        return Ok(csv::attachment(&format!("competition-{from}-{to}.csv"), body));
    }
    Ok(HttpResponse::Ok().json(lines))
}

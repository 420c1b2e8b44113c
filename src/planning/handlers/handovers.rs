use actix_web::{get, web};
use chrono::Duration;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::planning::handover::Handover;
use crate::planning::{handover_notice, handover_store};
use crate::request_query::Query;

/// The longest look ahead: half a year. By default the list looks as far ahead as the
/// werkleiders' mail (`handover_notice::NOTICE_DAYS`, six weeks).
const MAX_DAYS: i64 = 183;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoverQuery {
    /// How many days ahead to look, 0 (today only) to 183 (default 42, six weeks).
    #[param(minimum = 0, maximum = 183)]
    pub within_days: Option<u32>,
}

/// Who leaves soon, and whose regular helper they are: active participants whose
/// trajectories end within the window with none after, earliest last day first. For
/// each, the residents who asked for them again, or whom they helped or will help at
/// least twice from twelve weeks ago on, or with whom work is planned for them after
/// their last day; with the next visit before it, where a successor can come along to be
/// introduced (add them to that crew), the work after it to hand over, and the helpers
/// who stay whom the resident knows already (none: someone still needs introducing).
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(HandoverQuery),
    responses(
        (status = 200, description = "Participants leaving soon, with their regular residents", body = Vec<Handover>),
        (status = 400, description = "Not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than 183 days ahead (out_of_range)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/handovers")]
pub async fn list_handovers(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<HandoverQuery>,
) -> Result<web::Json<Vec<Handover>>, ApiError> {
    let days = query.within_days.map_or(handover_notice::NOTICE_DAYS, i64::from);
    if days > MAX_DAYS {
        return Err(ApiError::validation(
            "within_days",
            "out_of_range",
            "0 to 183 days ahead",
        ));
    }
    let today = clock::today();
    let until = today + Duration::days(days);
    let list = db::run_snapshot(&pool, move |conn| handover_store::leaving_between(conn, today, until)).await?;
    Ok(web::Json(list))
}

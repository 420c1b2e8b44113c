use actix_web::{get, web};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::planning::broken_work::{self, BrokenWork};

/// What needs re-planning: work planned from today on, not started, that breaks a rule
/// because something changed after it was planned (a sick report, availability,
/// clearance, contracted hours, an ended trajectory, a do-not-pair note, a closed day),
/// earliest first, with its crew and the rules it breaks. Empty when every plan still
/// holds.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The work to re-plan", body = Vec<BrokenWork>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/broken-work")]
pub async fn list_broken_work(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
) -> Result<web::Json<Vec<BrokenWork>>, ApiError> {
    let broken = db::run_snapshot(&pool, move |conn| broken_work::all(conn, &settings)).await?;
    Ok(web::Json(broken))
}

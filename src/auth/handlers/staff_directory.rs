use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::RequireRole;
use crate::auth::extract::AllStaff;
use crate::auth::staff_accounts::StaffRole;
use crate::auth::staff_directory::{self, Colleague};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ColleagueQuery {
    /// Only colleagues with this role (`trajectbegeleider`: the coaches to choose from).
    #[param(inline)]
    pub role: Option<StaffRole>,
}

/// The staff by name, for the staff: the names and roles behind the account ids records
/// carry (who opened a cash drawer, who coaches a participant, who approved hours), those
/// who left included (`active` false). Names and roles only.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(ColleagueQuery),
    responses(
        (status = 200, description = "The staff, by name", body = [Colleague]),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_colleagues(
    _staff: RequireRole<AllStaff>,
    pool: web::Data<DbPool>,
    query: Query<ColleagueQuery>,
) -> Result<web::Json<Vec<Colleague>>, ApiError> {
    let role = query.role;
    let colleagues = db::run(&pool, move |conn| Ok(staff_directory::list(conn, role)?)).await?;
    Ok(web::Json(colleagues))
}

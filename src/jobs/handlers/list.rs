use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::model::JobPage;
use crate::jobs::store::{self, JobFilter};
use crate::jobs::{access, views};
use crate::pagination::{PageInfo, PageQuery};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct JobQuery {
    #[param(inline)]
    pub status: Option<JobStatus>,
    pub service_id: Option<i64>,
    pub wijk: Option<String>,
    /// Ordered on or after this date.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Ordered on or before this date.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

/// Jobs, newest first: staff see all and filter; residents see theirs and their principals'.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(JobQuery, PageQuery),
    responses(
        (status = 200, description = "A page of jobs", body = JobPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Participants and coaches have no job list here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_jobs(
    user: AuthUser,
    pool: web::Data<DbPool>,
    query: Query<JobQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<JobPage>, ApiError> {
    let staff = access::is_staff(&user);
    if !staff && !user.is(crate::auth::Role::Resident) {
        return Err(ApiError::Forbidden);
    }
    let q = query.into_inner();
    let page = page.into_inner();
    let page_out = db::run_snapshot(&pool, move |conn| {
        let filter = JobFilter {
            recipients: if staff {
                None
            } else {
                Some(access::own_recipients(conn, user.id)?)
            },
            status: q.status,
            service_id: q.service_id,
            wijk: q.wijk.filter(|w| !w.trim().is_empty()),
            created_from: q.from.map(clock::local_midnight_utc),
            created_until: q.to.and_then(|d| d.succ_opt()).map(clock::local_midnight_utc),
        };
        let (rows, total) = store::list(conn, &filter, &page)?;
        let items = views::view_all(conn, rows, staff, db::now())?;
        Ok(JobPage {
            items,
            page: PageInfo::new(&page, total),
        })
    })
    .await?;
    Ok(web::Json(page_out))
}

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::feedback::model::{FeedbackItem, FeedbackKind};
use crate::feedback::{give, store};
use crate::jobs::store as jobs;
use crate::pagination::{PageInfo, PageQuery};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct FeedbackQuery {
    /// Only compliments, or only complaints.
    #[param(inline)]
    pub kind: Option<FeedbackKind>,
    /// `true`: the complaints still to handle; `false`: those handled.
    pub open: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackPage {
    pub items: Vec<FeedbackItem>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// What residents said about the work, newest first, with the work and the crew it is
/// about: compliments to pass on, complaints to handle (`kind=complaint&open=true`).
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(FeedbackQuery, PageQuery),
    responses(
        (status = 200, description = "A page of feedback", body = FeedbackPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider or the coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_feedback(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    query: Query<FeedbackQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<FeedbackPage>, ApiError> {
    let filter = store::Filter {
        kind: query.kind,
        open: query.open,
    };
    let page = page.into_inner();
    let (items, total) = db::run_snapshot(&pool, move |conn| {
        let (rows, total) = store::list(conn, filter, &page)?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let job = jobs::find(conn, row.job_id)?.ok_or(ApiError::NotFound)?;
            items.push(give::item(conn, row, &job)?);
        }
        Ok((items, total))
    })
    .await?;
    Ok(web::Json(FeedbackPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

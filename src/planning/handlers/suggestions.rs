use actix_web::{get, web};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::RequireRole;
use crate::auth::extract::JobTriage;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::jobs::store as jobs;
use crate::planning::facts;
use crate::planning::rules::Slot;
use crate::planning::suggest::{self, Suggestions};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SuggestionQuery {
    /// RFC 3339 with offset.
    #[param(value_type = String, format = DateTime)]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub starts_at: DateTime<FixedOffset>,
    #[param(value_type = String, format = DateTime)]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub ends_at: DateTime<FixedOffset>,
}

/// Who could do this job at this time, best first, with the parts of their score
/// (continuity, fairness, distance, language, interests); and who cannot, with the rule
/// that excludes them.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id"), SuggestionQuery),
    responses(
        (status = 200, description = "Ranked and excluded participants", body = Suggestions),
        (status = 400, description = "Invalid times", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The end is not after the start", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/suggestions")]
pub async fn suggestions(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    query: Query<SuggestionQuery>,
) -> Result<web::Json<Suggestions>, ApiError> {
    let id = id.into_inner();
    let slot = Slot::from_utc(query.starts_at.naive_utc(), query.ends_at.naive_utc());
    if slot.utc_end <= slot.utc_start {
        return Err(ApiError::validation(
            "ends_at",
            "span_reversed",
            "the end must be after the start",
        ));
    }
    let result = db::run(&pool, move |conn| {
        let job = jobs::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let day = slot.local_start.date();
        let people = facts::participants(conn, None, day, day, None, settings.vog_months)?;
        let job_facts = facts::job(conn, &job, &settings, db::now())?;
        Ok(suggest::rank(&people, &job_facts, &slot))
    })
    .await?;
    Ok(web::Json(result))
}

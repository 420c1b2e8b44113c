//! Recurring visits: `/api/v1/job-series` (see `jobs::series`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};

use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::input;
use crate::jobs::order;
use crate::jobs::series_change::CheckedSeriesChange;
use crate::jobs::series_model::{SeriesChange, SeriesInput, SeriesPage, SeriesView, StopInput};
use crate::jobs::series_store::SeriesFilter;
use crate::jobs::settings::JobSettings;
use crate::jobs::{series, series_change};
use crate::pagination::PageQuery;
use crate::request_body::Json;
use crate::request_query::Query;

fn may_use(user: &AuthUser) -> Result<(), ApiError> {
    if order::may_order(user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Starts a recurring visit of a service not around the home (shopping, company): the
/// same weekday and dagdeel every week or every other week. The first visit is ordered at
/// once, by the rules of any order; the next ones are ordered a fortnight ahead, each an
/// ordinary job the werkleiders plan. Send an `Idempotency-Key`: a retry with the same
/// key and body returns the first answer.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(crate::idempotency::KeyHeader),
    request_body = SeriesInput,
    responses(
        (status = 201, description = "Started, with the visits ordered so far", body = SeriesView, headers(("Location" = String, description = "The new series' address (a replayed answer's too)"))),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to order (for this resident)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule: recurring_klus (a service around the home), date_in_past, invalid_interval, service_not_allowed, …; or the key was used for another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn start_series(
    req: HttpRequest,
    user: AuthUser,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    may_use(&user)?;
    let (key, hash, series_input): (_, _, SeriesInput) = idempotency::keyed(&req, body.into_inner())?;
    let today = crate::clock::today();
    series_input.pattern().check(today)?;
    // The order's own checks (description, declaration), as for a single job.
    let description = input::check(&series_input.first_order(), today)?;
    idempotency::run(&pool, user.id, key, hash, Some("/api/v1/job-series"), move |conn| {
        let view = series::create(conn, &user, &series_input, &description, &settings, db::now())?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(view).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SeriesQuery {
    /// One resident's series.
    pub recipient_id: Option<i64>,
    /// Only those still running (true) or only those stopped or past their last date
    /// (false).
    pub running: Option<bool>,
}

/// The recurring visits you may see, newest first: staff everyone's (to filter by
/// resident or by whether they still run), a resident their own and those of the
/// residents they act for.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(SeriesQuery, PageQuery),
    responses(
        (status = 200, description = "A page of series", body = SeriesPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Participants and coaches have no series here", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_series(
    user: AuthUser,
    pool: web::Data<DbPool>,
    query: Query<SeriesQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<SeriesPage>, ApiError> {
    may_use(&user)?;
    let q = query.into_inner();
    let page = page.into_inner();
    let filter = SeriesFilter {
        recipients: None,
        recipient_id: q.recipient_id,
        running: q.running.map(|r| (r, crate::clock::today())),
    };
    let list = db::run_snapshot(&pool, move |conn| series::page(conn, &user, filter, &page)).await?;
    Ok(web::Json(list))
}

/// One recurring visit, with the visits ordered so far.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Series id")),
    responses(
        (status = 200, description = "The series", body = SeriesView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Participants and coaches have no series here", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_series(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<SeriesView>, ApiError> {
    may_use(&user)?;
    let id = id.into_inner();
    let view = db::run_snapshot(&pool, move |conn| {
        let s = series::readable(conn, &user, id)?;
        series::view(conn, s)
    })
    .await?;
    Ok(web::Json(view))
}

/// Stops a recurring visit: no more visits are ordered. With `cancel_visits` the visits
/// ordered already that have not begun are cancelled as well, each as
/// `POST /api/v1/jobs/{id}/cancel` would (late when close to its start); otherwise they
/// stay and are listed, so those not wanted can be cancelled one by one.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Series id")),
    request_body = StopInput,
    responses(
        (status = 200, description = "Stopped, with its visits", body = SeriesView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Participants and coaches have no series here", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A visit to cancel changed meanwhile; nothing was stopped, try again (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/stop")]
pub async fn stop_series(
    user: AuthUser,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<StopInput>,
) -> Result<web::Json<SeriesView>, ApiError> {
    may_use(&user)?;
    let id = id.into_inner();
    let mut input = body.into_inner();
    input.reason = input::optional_note(input.reason, "reason")?;
    let view = db::run_tx(&pool, move |conn| {
        series_change::stop(conn, &user, id, &input, &settings, db::now())
    })
    .await?;
    Ok(web::Json(view))
}

/// Changes a running recurring visit: what the visits ordered from now on say, its last
/// date (`null`: until stopped), or the weekday and dagdeel of the visits not ordered
/// yet (those ordered keep theirs). Visits ordered already for dates after a new last
/// date that have not begun are cancelled, as one at a time would be. Moved to another
/// day, the resident is told (by e-mail, else on the call sheet; a family member who
/// made the series too) the new day, its first visit and the visits that keep the old
/// one.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Series id")),
    request_body = SeriesChange,
    responses(
        (status = 200, description = "Changed, with its visits", body = SeriesView),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Participants and coaches have no series here", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such series (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The series is stopped (series_stopped), or a visit to cancel changed meanwhile (invalid_transition)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "nothing_to_change, a description too long, a weekday out of range (invalid_weekday), or a last date in the past or before the first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/{id}")]
pub async fn change_series(
    user: AuthUser,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
    body: Json<SeriesChange>,
) -> Result<web::Json<SeriesView>, ApiError> {
    may_use(&user)?;
    let id = id.into_inner();
    let change = CheckedSeriesChange::check(body.into_inner())?;
    let view = db::run_tx(&pool, move |conn| {
        series_change::change(conn, &user, id, &change, &settings, db::now())
    })
    .await?;
    Ok(web::Json(view))
}

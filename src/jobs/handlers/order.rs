use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};

use crate::auth::AuthUser;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::jobs::input::{self, OrderInput};
use crate::jobs::model::JobView;
use crate::jobs::settings::JobSettings;
use crate::jobs::{access, closed_windows, order, views};
use crate::request_body::Json;

/// Orders a klus or dienst: a resident for themselves, a proxy for the resident they act
/// for, staff for any resident. An order that breaks no rule is accepted onto the waiting
/// list at once; one that may split a big job into small ones waits for a werkleider.
///
/// Send an `Idempotency-Key` header: a retry with the same key and body returns the first
/// answer instead of ordering twice.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(crate::idempotency::KeyHeader),
    request_body = OrderInput,
    responses(
        (status = 201, description = "Ordered", body = JobView, headers(("Location" = String, description = "The new job's address (a replayed answer's too)"))),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to order for this resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks a rule: five_hour_rule, service_not_allowed, declaration_required, service_point_closed (a window on a closed day), …; or the key was used for another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn order_job(
    req: HttpRequest,
    user: AuthUser,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    if !order::may_order(&user) {
        return Err(ApiError::Forbidden);
    }
    let (key, hash, input): (_, _, OrderInput) = idempotency::keyed(&req, body.into_inner())?;
    let today = clock::today();
    let description = input::check(&input, today)?;
    idempotency::run(&pool, user.id, key, hash, Some("/api/v1/jobs"), move |conn| {
        let now = db::now();
        closed_windows::refuse_closed(conn, &input.preferred_windows)?;
        let job = order::place(conn, &user, &input, &description, &settings, today, now)?;
        let view = views::view_one(conn, job, access::is_staff(&user), now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(view).map_err(ApiError::internal)?,
        ))
    })
    .await
}

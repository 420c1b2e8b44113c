//! Recording a Wmo period and asking whether a resident pays the reduced rate on a date.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::EligibilityDesk;
use crate::clock;
use crate::db::{self, DbPool};
use crate::domain::ShortText;
use crate::error::{ApiError, Problem, Violations};
use crate::request_body::Json;
use crate::request_query::Query;
use crate::residents::eligibility::{self, Reason};
use crate::residents::eligibility_store::{self, EligibilityPeriod, NewPeriod};
use crate::residents::store;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EligibilityBasis {
    /// A Wmo indication, seen by the staff member recording it.
    Wmo,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibilityPeriodInput {
    pub basis: EligibilityBasis,
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub valid_from: NaiveDate,
    /// Inclusive; leave out for an indication without end date.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub valid_until: Option<NaiveDate>,
    /// Where the evidence is filed, e.g. a letter number. Not the indication's content.
    #[schema(min_length = 1, pattern = r"\S", max_length = 200, example = "WMO-2026-0412")]
    pub evidence_ref: String,
}

/// Records a reduced-rate period after seeing the evidence; the caller is recorded as verifier.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = EligibilityPeriodInput,
    responses(
        (status = 201, description = "Recorded", body = EligibilityPeriod),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/eligibility")]
pub async fn record_eligibility(
    staff: RequireRole<EligibilityDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<EligibilityPeriodInput>,
) -> Result<HttpResponse, ApiError> {
    let resident_id = id.into_inner();
    let input = body.into_inner();
    let mut v = Violations::new();
    let evidence = ShortText::parse(&input.evidence_ref, 200);
    v.note("evidence_ref", &evidence);
    if input.valid_until.is_some_and(|until| until < input.valid_from) {
        v.push("valid_until", "period_reversed", "valid_until is before valid_from");
    }
    v.into_result()?;
    let evidence = evidence?.into_inner();
    let verified_by = staff.id;
    let period = db::run_tx(&pool, move |conn| {
        store::hold(conn, resident_id)?;
        store::find(conn, resident_id)?
            .ok_or(ApiError::NotFound)?
            .still_recordable(None)?;
        let new = NewPeriod {
            resident_id,
            valid_from: input.valid_from,
            valid_until: input.valid_until,
            evidence_ref: &evidence,
            verified_by,
        };
        Ok(eligibility_store::insert(conn, &new, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Created().json(period))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EligibilityQuery {
    /// The date to decide for (`YYYY-MM-DD`); today in the Netherlands when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EligibilityAnswer {
    pub resident_id: i64,
    pub on: NaiveDate,
    pub reduced_rate: bool,
    /// Every reason that applies; empty when the regular rate applies.
    pub reasons: Vec<Reason>,
}

/// Whether the resident pays the reduced rate on a date: 70 or older on that date, or
/// covered by a Wmo period.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id"), EligibilityQuery),
    responses(
        (status = 200, description = "The decision and its reasons", body = EligibilityAnswer),
        (status = 400, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/eligibility")]
pub async fn check_eligibility(
    _staff: RequireRole<EligibilityDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: Query<EligibilityQuery>,
) -> Result<web::Json<EligibilityAnswer>, ApiError> {
    let resident_id = id.into_inner();
    let on = query.on.unwrap_or_else(clock::today);
    let (birth_date, periods) = db::run(&pool, move |conn| {
        let resident = store::find(conn, resident_id)?.ok_or(ApiError::NotFound)?;
        let periods = eligibility_store::for_resident(conn, resident_id)?;
        Ok((resident.birth_date, periods))
    })
    .await?;
    let rules: Vec<_> = periods.iter().map(EligibilityPeriod::as_rule).collect();
    let decision = eligibility::decide(birth_date, &rules, on);
    Ok(web::Json(EligibilityAnswer {
        resident_id,
        on,
        reduced_rate: decision.reduced_rate,
        reasons: decision.reasons,
    }))
}

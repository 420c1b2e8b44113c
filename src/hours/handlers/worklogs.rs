use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::{JobTriage, WorkLoggers};
use crate::auth::{AuthUser, RequireRole, Role};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::approval;
use crate::hours::logging::{self, Activity, LogRequest, Span};
use crate::hours::store::{self, WorkLog};
use crate::jobs::input::{optional_note, required_note};
use crate::jobs::settings::JobSettings;
use crate::participants::store as participants;
use crate::privacy::audit_trail;
use crate::request_body::Json;

/// Tells the audit log whose time this is: each participant with a log among `logs` (a
/// crew's, a batch's) gets an entry.
pub(super) fn name_participants(req: &HttpRequest, logs: &[WorkLog]) {
    audit_trail::name_subjects(req, logs.iter().map(|l| l.participant_id));
}

/// UTC, to the microsecond (what both databases keep).
fn micros(t: DateTime<FixedOffset>) -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkLogInput {
    /// One participant, or (werkleider) a whole crew; a participant leaves it out.
    #[serde(default)]
    pub participant_ids: Vec<i64>,
    /// The assignment worked on; or else an `activity`.
    pub assignment_id: Option<i64>,
    pub activity: Option<Activity>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-04T09:00:00+02:00")]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub started_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime, example = "2026-05-04T11:10:00+02:00")]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub ended_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub break_minutes: i64,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Records worked time: a participant their own (on their own assignments), a werkleider
/// anyone's, a whole crew at once. Approved later by the werkleider.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    request_body = WorkLogInput,
    responses(
        (status = 201, description = "Recorded, pending approval", body = Vec<WorkLog>),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not your time to log", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule: overlapping_log, five_hour_rule, not_on_assignment, note_required, in_future, …", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_worklogs(
    logger: RequireRole<WorkLoggers>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    http: HttpRequest,
    body: Json<WorkLogInput>,
) -> Result<HttpResponse, ApiError> {
    let (user, input) = (logger.user, body.into_inner());
    let req = LogRequest {
        participant_ids: input.participant_ids,
        assignment_id: input.assignment_id,
        activity: input.activity,
        span: Span {
            start: micros(input.started_at),
            end: micros(input.ended_at),
            break_minutes: input.break_minutes,
        },
        note: optional_note(input.note, "note")?,
    };
    let logs = db::run_tx(&pool, move |conn| {
        logging::record(conn, &user, &req, &settings, db::now())
    })
    .await?;
    name_participants(&http, &logs);
    Ok(HttpResponse::Created().json(logs))
}

/// Approves a pending log. Approved logs never change; corrections supersede them.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Work log id")),
    responses(
        (status = 200, description = "Approved", body = WorkLog),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such log", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/approve")]
pub async fn approve_worklog(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<web::Json<WorkLog>, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let log = db::run_tx(&pool, move |conn| logging::approve(conn, id, by, db::now())).await?;
    name_participants(&req, std::slice::from_ref(&log));
    Ok(web::Json(log))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// Rejects a pending log, with the reason.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Work log id")),
    request_body = RejectInput,
    responses(
        (status = 200, description = "Rejected", body = WorkLog),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such log", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/reject")]
pub async fn reject_worklog(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Json<RejectInput>,
) -> Result<web::Json<WorkLog>, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let reason = required_note(body.into_inner().reason, "reason", "say why")?;
    let log = db::run_tx(&pool, move |conn| {
        approval::reject_one(conn, id, by, &reason, db::now())
    })
    .await?;
    name_participants(&req, std::slice::from_ref(&log));
    Ok(web::Json(log))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    #[schema(value_type = String, format = DateTime)]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub started_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub ended_at: DateTime<FixedOffset>,
    #[serde(default)]
    pub break_minutes: i64,
    #[schema(min_length = 1, pattern = r"\S", max_length = 1000)]
    pub reason: String,
}

/// Corrects an approved log: a new approved log supersedes it, with who, when and why.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Work log id")),
    request_body = CorrectionInput,
    responses(
        (status = 201, description = "The correcting log", body = WorkLog),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such log", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The log is not approved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule, or no reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/correct")]
pub async fn correct_worklog(
    staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Json<CorrectionInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, id, input) = (staff.id, id.into_inner(), body.into_inner());
    let reason = required_note(input.reason, "reason", "say why")?;
    let span = Span {
        start: micros(input.started_at),
        end: micros(input.ended_at),
        break_minutes: input.break_minutes,
    };
    let log = db::run_tx(&pool, move |conn| {
        logging::correct(conn, id, by, &span, &reason, &settings, db::now())
    })
    .await?;
    name_participants(&req, std::slice::from_ref(&log));
    Ok(HttpResponse::Created().json(log))
}

/// A log and every correction of it, oldest first.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Work log id")),
    responses(
        (status = 200, description = "The chain of corrections", body = Vec<WorkLog>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such log (or not yours)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/history")]
pub async fn worklog_history(
    user: AuthUser,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<WorkLog>>, ApiError> {
    let id = id.into_inner();
    let chain = db::run(&pool, move |conn| {
        let log = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let own = user.is(Role::Participant)
            && participants::find_by_user(conn, user.id)?.is_some_and(|p| p.id == log.participant_id);
        if !own && !user.is_any(&[Role::Werkleider]) {
            return Err(ApiError::NotFound);
        }
        Ok(store::history(conn, id)?)
    })
    .await?;
    name_participants(&req, &chain);
    Ok(web::Json(chain))
}

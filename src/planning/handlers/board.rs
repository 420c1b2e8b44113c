use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::{JobTriage, TrajectoryDesk};
use crate::auth::{RequireRole, Role};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::input::optional_note;
use crate::jobs::settings::JobSettings;
use crate::participants::store as participants;
use crate::planning::attendance::{self, AttendanceRow, AttendanceStatus};
use crate::planning::board::{self, PlanningBoard};
use crate::read_cache::{self, ReadCache};
use crate::request_body::Json;
use crate::request_query::Query;
use crate::{clock, dates};

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardQuery {
    /// First day; today when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive), at most 31 days after `from`; a week from `from` (six days
    /// after it) when left out.
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

impl BoardQuery {
    /// The days asked for, the week from today when the screen names none.
    fn period(self) -> (NaiveDate, NaiveDate) {
        let from = self.from.unwrap_or_else(clock::today);
        (from, self.to.unwrap_or_else(|| dates::week_from(from)))
    }
}

/// The werkleider's screen: per day and participant the planned work, free dagdelen and
/// absences, and the waiting list; the week from today unless the days are named.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    params(BoardQuery),
    responses(
        (status = 200, description = "The board", body = PlanningBoard),
        (status = 304, description = "Unchanged since the `ETag` sent in `If-None-Match`"),
        (status = 400, description = "Invalid dates", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn planning_board(
    _staff: RequireRole<JobTriage>,
    pool: web::Data<DbPool>,
    cache: web::Data<ReadCache>,
    settings: web::Data<JobSettings>,
    req: HttpRequest,
    query: Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let (from, to) = query.into_inner().period();
    let board = db::run_snapshot(&pool, move |conn| board::build(conn, from, to, &settings, db::now()));
    read_cache::json(&cache, &req, format!("planning {from} {to}"), board).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    pub participant_id: i64,
    #[serde(deserialize_with = "crate::dates::in_range")]
    pub date: NaiveDate,
    pub status: AttendanceStatus,
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Records the morning check-in at the servicepunt, or a no-show.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    request_body = AttendanceInput,
    responses(
        (status = 201, description = "Recorded", body = AttendanceRow),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a werkleider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or erased participant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn record_attendance(
    staff: RequireRole<JobTriage>,
    req: HttpRequest,
    pool: web::Data<DbPool>,
    body: Json<AttendanceInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, input) = (staff.id, body.into_inner());
    crate::privacy::audit_trail::name_subject(&req, input.participant_id);
    let note = optional_note(input.note, "note")?;
    let row = db::run_tx(&pool, move |conn| {
        // Two screens recording the same morning: one after the other, the last one kept.
        participants::lock(conn, input.participant_id)?;
        participants::find(conn, input.participant_id)?
            .ok_or_else(|| ApiError::validation("participant_id", "unknown_participant", "no such participant"))?
            .still_recordable(Some("participant_id"))?;
        Ok(attendance::record(
            conn,
            input.participant_id,
            input.date,
            input.status,
            note.as_deref(),
            by,
            db::now(),
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(row))
}

/// A participant's attendance, for their own coach only (no-shows are theirs to discuss).
#[utoipa::path(
    tag = "trajectories",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Attendance, newest first", body = Vec<AttendanceRow>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your caseload", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/attendance")]
pub async fn participant_attendance(
    coach: RequireRole<TrajectoryDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<AttendanceRow>>, ApiError> {
    let (user, id) = (coach.user, id.into_inner());
    let rows = db::run(&pool, move |conn| {
        let p = participants::find(conn, id)?.ok_or(ApiError::NotFound)?;
        if user.role != Role::Trajectbegeleider || p.coach_user_id != Some(user.id) {
            return Err(ApiError::NotFound);
        }
        Ok(attendance::of_participant(conn, id)?)
    })
    .await?;
    Ok(web::Json(rows))
}

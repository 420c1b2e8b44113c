use actix_web::{HttpRequest, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::ParticipantReaders;
use crate::auth::{RequireRole, Role};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::hours::list::{self, WorkLogFilter};
use crate::hours::store::{APPROVED, PENDING, REJECTED, SUPERSEDED, WorkLog};
use crate::pagination::{PageInfo, PageQuery};
use crate::privacy::audit_trail;
use crate::request_query::Query;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkLogStatus {
    Pending,
    Approved,
    Rejected,
    Superseded,
}

impl WorkLogStatus {
    fn as_str(self) -> &'static str {
        match self {
            WorkLogStatus::Pending => PENDING,
            WorkLogStatus::Approved => APPROVED,
            WorkLogStatus::Rejected => REJECTED,
            WorkLogStatus::Superseded => SUPERSEDED,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WorkLogQuery {
    /// `pending` for the logs waiting for approval.
    #[param(inline)]
    pub status: Option<WorkLogStatus>,
    /// One participant's logs.
    pub participant_id: Option<i64>,
    /// Logs that started on or after this day (local time).
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub from: Option<NaiveDate>,
    /// Logs that started on or before this day (local time).
    #[serde(default, deserialize_with = "crate::dates::in_range_opt")]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkLogPage {
    pub items: Vec<WorkLog>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// Work logs in the order they were worked, the oldest first: with `status=pending` the
/// werkleider's queue of time to approve or reject; with `participant_id` and a period
/// one participant's logs. A trajectbegeleider sees the logs of their own caseload only.
#[utoipa::path(
    tag = "hours",
    security(("bearer" = [])),
    params(WorkLogQuery, PageQuery),
    responses(
        (status = 200, description = "A page of work logs", body = WorkLogPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`to` is before `from` (invalid_period)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_worklogs(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    req: HttpRequest,
    query: Query<WorkLogQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<WorkLogPage>, ApiError> {
    let (q, page) = (query.into_inner(), page.into_inner());
    if let (Some(from), Some(to)) = (q.from, q.to)
        && to < from
    {
        return Err(ApiError::validation("to", "invalid_period", "`to` is before `from`"));
    }
    let filter = WorkLogFilter {
        coach_user_id: staff.is(Role::Trajectbegeleider).then_some(staff.id),
        participant_id: q.participant_id,
        status: q.status.map(WorkLogStatus::as_str),
        started_from: q.from.map(clock::local_midnight_utc),
        started_before: q.to.and_then(|d| d.succ_opt()).map(clock::local_midnight_utc),
    };
    if let Some(participant) = q.participant_id {
        audit_trail::name_subject(&req, participant);
    }
    let (items, total) = db::run_snapshot(&pool, move |conn| Ok(list::page(conn, &filter, &page)?)).await?;
    Ok(web::Json(WorkLogPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::extract::ParticipantReaders;
use crate::auth::{RequireRole, Role};
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::settings::JobSettings;
use crate::participants::model::ParticipantView;
use crate::participants::{store, views};
use crate::request_query::Query;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ParticipantQuery {
    /// Only the caseload of this trajectbegeleider (for a coach: their own, else none).
    pub coach_user_id: Option<i64>,
    /// `true`: only those who work here now; `false`: only those who left. Absent: both.
    pub active: Option<bool>,
    /// `true`: only those working here and going alone to people's homes whose VOG has
    /// to be renewed within six weeks (or has run out or is missing), where a VOG is asked
    /// for; `false`: everyone else.
    pub vog_renewal_due: Option<bool>,
}

/// Participants by name: all for werkleiders and the coordinator, their own caseload for a
/// coach. `coach_user_id` narrows it to one coach's caseload, e.g. to share out the
/// participants of a coach who leaves; `active` to those who work here now (the roster)
/// or to those who left; `vog_renewal_due` to those whose coach has to ask for a new VOG.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(ParticipantQuery),
    responses(
        (status = 200, description = "Participants", body = Vec<ParticipantView>),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_participants(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    query: Query<ParticipantQuery>,
) -> Result<web::Json<Vec<ParticipantView>>, ApiError> {
    let (user, asked, active) = (staff.user, query.coach_user_id, query.active);
    let (vog_due, vog_months) = (query.vog_renewal_due, settings.vog_months);
    let list = db::run(&pool, move |conn| {
        let coach = match user.role {
            Role::Trajectbegeleider if asked.is_some_and(|c| c != user.id) => return Ok(Vec::new()),
            Role::Trajectbegeleider => Some(user.id),
            _ => asked,
        };
        let today = clock::today();
        let mut rows = store::list(conn, coach, active)?;
        if let Some(want) = vog_due {
            rows.retain(|r| r.vog_renewal_due(today, vog_months) == want);
        }
        views::staff_views(conn, rows, &user, today, vog_months)
    })
    .await?;
    Ok(web::Json(list))
}

/// One participant's work profile.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The participant", body = ParticipantView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff who plan or coach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant (or not in your caseload)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_participant(
    staff: RequireRole<ParticipantReaders>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    id: web::Path<i64>,
) -> Result<web::Json<ParticipantView>, ApiError> {
    let (user, id, vog_months) = (staff.user, id.into_inner(), settings.vog_months);
    let view = db::run(&pool, move |conn| {
        let row = views::readable(conn, &user, id)?;
        views::staff_view(conn, row, &user, clock::today(), vog_months)
    })
    .await?;
    Ok(web::Json(view))
}

use actix_web::{get, web};
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::ParticipantAccount;
use crate::catalogue::store as catalogue;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::store as jobs;
use crate::participants::store as participants;
use crate::planning::assignment_store::{self, AssignmentRow};
use crate::planning::messages::first_names;
use crate::residents::store as residents;

/// One planned job, with just what a participant needs to do it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleItem {
    pub assignment_id: i64,
    pub job_id: i64,
    /// UTC.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub service: String,
    /// The resident's first name only.
    pub recipient_first_name: String,
    pub address: String,
    pub phone: Option<String>,
    pub task: String,
    /// First names of the colleagues going along.
    pub colleagues: String,
}

pub fn item(conn: &mut DbConn, a: &AssignmentRow, me: i64) -> Result<ScheduleItem, ApiError> {
    let job = jobs::find(conn, a.job_id)?.ok_or(ApiError::NotFound)?;
    let service = catalogue::version(conn, job.service_version_id)?.ok_or(ApiError::NotFound)?;
    let resident = residents::find(conn, job.recipient_id)?.ok_or(ApiError::NotFound)?;
    let others: Vec<i64> = assignment_store::members(conn, a.id)?
        .into_iter()
        .filter(|p| *p != me)
        .collect();
    Ok(ScheduleItem {
        assignment_id: a.id,
        job_id: job.id,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        service: service.name_nl,
        recipient_first_name: resident.name.split_whitespace().next().unwrap_or("").to_owned(),
        address: format!("{} {}, {} {}", job.street, job.house_number, job.postcode, job.city),
        phone: resident.phone,
        task: job.description,
        colleagues: first_names(conn, &others)?,
    })
}

/// The caller's own planned work for the next two weeks.
#[utoipa::path(
    tag = "planning",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your schedule", body = Vec<ScheduleItem>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a participant account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This account has no participant profile", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/schedule")]
pub async fn my_schedule(
    user: RequireRole<ParticipantAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Vec<ScheduleItem>>, ApiError> {
    let user_id = user.id;
    let items = db::run(&pool, move |conn| {
        let me = participants::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let now = db::now();
        let from = now - chrono::Duration::hours(12);
        assignment_store::of_participant(conn, me.id, from, now + chrono::Duration::days(14))?
            .iter()
            .map(|a| item(conn, a, me.id))
            .collect()
    })
    .await?;
    Ok(web::Json(items))
}

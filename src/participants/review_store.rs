//! Progress reviews in the database, and as the coach and the participant read them.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::review::{self, Draft};
use super::trajectory_store::TrajectoryRow;
use crate::db::DbConn;
use crate::db::schema::{participants, progress_reviews, trajectories};
use crate::error::ApiError;
use diesel::dsl::max;

/// One progress review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: i64,
    pub trajectory_id: i64,
    pub held_on: NaiveDate,
    /// The step of the participation ladder (VNG): 1 'geïsoleerd bestaan' to 6 'betaald
    /// werk'.
    pub ladder_step: i32,
    /// The step's name, in Dutch.
    pub ladder_step_name: &'static str,
    /// How many steps up (positive) or down since the participant's review before this
    /// one; null for their first.
    pub ladder_change: Option<i32>,
    /// What was talked through: what went well, what comes next.
    pub summary: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub written_at: NaiveDateTime,
    /// When the coach last corrected it (UTC); null if never.
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub corrected_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = progress_reviews)]
struct Row {
    id: i64,
    trajectory_id: i64,
    held_on: NaiveDate,
    ladder_step: i32,
    summary: String,
    written_at: NaiveDateTime,
    corrected_at: Option<NaiveDateTime>,
}

/// Every review of participant `participant`, newest first, each with its move on the
/// ladder.
pub fn of_participant(conn: &mut DbConn, participant: i64) -> QueryResult<Vec<ReviewView>> {
    let rows: Vec<Row> = progress_reviews::table
        .inner_join(trajectories::table)
        .filter(trajectories::participant_id.eq(participant))
        .select(Row::as_select())
        .load(conn)?;
    let keys: Vec<_> = rows.iter().map(|r| (r.id, r.held_on, r.ladder_step)).collect();
    let changes: HashMap<i64, Option<i32>> = review::changes(&keys).into_iter().collect();
    let mut views: Vec<ReviewView> = rows
        .into_iter()
        .map(|r| {
            let change = changes.get(&r.id).copied().flatten();
            ReviewView {
                id: r.id,
                trajectory_id: r.trajectory_id,
                held_on: r.held_on,
                ladder_step: r.ladder_step,
                ladder_step_name: review::step_name(r.ladder_step),
                ladder_change: change,
                summary: r.summary,
                written_at: r.written_at,
                corrected_at: r.corrected_at,
            }
        })
        .collect();
    views.sort_by_key(|v| std::cmp::Reverse((v.held_on, v.id)));
    Ok(views)
}

/// Whether a review of `trajectory` other than `except` was held on `day`.
fn held_that_day(conn: &mut DbConn, trajectory: i64, day: NaiveDate, except: Option<i64>) -> QueryResult<bool> {
    let found: Vec<i64> = progress_reviews::table
        .filter(progress_reviews::trajectory_id.eq(trajectory))
        .filter(progress_reviews::held_on.eq(day))
        .select(progress_reviews::id)
        .load(conn)?;
    Ok(found.iter().any(|id| Some(*id) != except))
}

fn already_held() -> ApiError {
    ApiError::conflict(
        "review_exists",
        "a review of that day is already written down; correct that one instead",
    )
}

/// Writes a review of `trajectory` by coach `by`; its id. One per trajectory and day.
/// The caller holds the participant's lock.
pub fn insert(conn: &mut DbConn, trajectory: i64, d: &Draft, by: i64, now: NaiveDateTime) -> Result<i64, ApiError> {
    if held_that_day(conn, trajectory, d.held_on, None)? {
        return Err(already_held());
    }
    let id = diesel::insert_into(progress_reviews::table)
        .values((
            progress_reviews::trajectory_id.eq(trajectory),
            progress_reviews::held_on.eq(d.held_on),
            progress_reviews::ladder_step.eq(d.ladder_step),
            progress_reviews::summary.eq(&d.summary),
            progress_reviews::written_by.eq(by),
            progress_reviews::written_at.eq(now),
        ))
        .returning(progress_reviews::id)
        .get_result(conn)?;
    Ok(id)
}

/// Corrects review `id` of `trajectory` to `d`; the same again changes nothing. The caller
/// holds the participant's lock.
pub fn correct(conn: &mut DbConn, trajectory: i64, id: i64, d: &Draft, now: NaiveDateTime) -> Result<(), ApiError> {
    let current: (NaiveDate, i32, String) = progress_reviews::table
        .filter(progress_reviews::id.eq(id))
        .filter(progress_reviews::trajectory_id.eq(trajectory))
        .select((
            progress_reviews::held_on,
            progress_reviews::ladder_step,
            progress_reviews::summary,
        ))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if current == (d.held_on, d.ladder_step, d.summary.clone()) {
        return Ok(());
    }
    if held_that_day(conn, trajectory, d.held_on, Some(id))? {
        return Err(already_held());
    }
    diesel::update(progress_reviews::table.find(id))
        .set((
            progress_reviews::held_on.eq(d.held_on),
            progress_reviews::ladder_step.eq(d.ladder_step),
            progress_reviews::summary.eq(&d.summary),
            progress_reviews::corrected_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A trajectory running today, and when it was last reviewed.
pub struct Running {
    pub trajectory: TrajectoryRow,
    pub participant_name: String,
    pub coach_user_id: Option<i64>,
    pub last_held: Option<NaiveDate>,
}

/// The trajectories running on `today` of active participants, each with the day of its
/// last review, if any.
pub fn running_with_last_review(conn: &mut DbConn, today: NaiveDate) -> QueryResult<Vec<Running>> {
    let running: Vec<(TrajectoryRow, String, Option<i64>)> = trajectories::table
        .inner_join(participants::table)
        .filter(participants::active.eq(true))
        .filter(trajectories::ended_on.is_null())
        .filter(trajectories::starts_on.le(today))
        .select((
            TrajectoryRow::as_select(),
            participants::name,
            participants::coach_user_id,
        ))
        .load(conn)?;
    let running: Vec<_> = running
        .into_iter()
        .filter(|(t, _, _)| t.period().active_on(today))
        .collect();
    let ids: Vec<i64> = running.iter().map(|(t, _, _)| t.id).collect();
    let last: HashMap<i64, Option<NaiveDate>> = progress_reviews::table
        .filter(progress_reviews::trajectory_id.eq_any(&ids))
        .group_by(progress_reviews::trajectory_id)
        .select((progress_reviews::trajectory_id, max(progress_reviews::held_on)))
        .load::<(i64, Option<NaiveDate>)>(conn)?
        .into_iter()
        .collect();
    Ok(running
        .into_iter()
        .map(|(t, participant_name, coach_user_id)| Running {
            last_held: last.get(&t.id).copied().flatten(),
            trajectory: t,
            participant_name,
            coach_user_id,
        })
        .collect())
}

/// Deletes every review of `trajectories` (erasure, retention).
pub fn delete_of(conn: &mut DbConn, trajectories: &[i64]) -> QueryResult<usize> {
    diesel::delete(progress_reviews::table.filter(progress_reviews::trajectory_id.eq_any(trajectories))).execute(conn)
}

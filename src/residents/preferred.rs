//! The helpers a resident asks for again. 'Zo zijn er mensen die graag dezelfde cliënt op
//! bezoek willen hebben voor het huishouden of gezelschap. Dat is een groot compliment
//! voor een cliënt.' Once work is done, the resident (or a family member who acts for
//! them, or the desk on the phone) asks for the same people next time; planning then
//! puts them higher among those who may go (`planning::score`, continuity). A wish, not
//! a promise: the hard rules still decide. The resident sees first names only.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{participants as participant_rows, preferred_participants};
use crate::error::ApiError;
use crate::jobs::lifecycle::JobStatus;
use crate::jobs::model::JobRow;
use crate::participants::store as participants;
use crate::planning::assignment_store;
use crate::residents::store as residents;

/// Someone the resident asked for again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreferredHelper {
    /// The wish: stop it with `DELETE …/preferred-helpers/{id}`.
    pub id: i64,
    pub first_name: String,
    /// Staff only: which participant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<i64>,
    /// When it was first asked.
    #[serde(serialize_with = "crate::clock::utc")]
    pub since: NaiveDateTime,
}

/// Asks for whoever did `job` again, for its recipient, and tells each of them (a
/// compliment in itself); asked before, nothing changes and nobody is told again.
pub fn ask_again(conn: &mut DbConn, job: &JobRow, now: NaiveDateTime) -> Result<(), ApiError> {
    if !matches!(
        job.status(),
        JobStatus::Performed | JobStatus::Confirmed | JobStatus::Disputed | JobStatus::Settled
    ) {
        return Err(ApiError::conflict(
            "job_not_done",
            "the same people can be asked for once they have done the work",
        ));
    }
    // Nothing new is recorded for an erased resident; an erasure under way waits for this.
    residents::hold(conn, job.recipient_id)?;
    let resident = residents::find(conn, job.recipient_id)?
        .ok_or(ApiError::NotFound)?
        .still_recordable(None)?;
    let crew: Vec<i64> = assignment_store::crew_of_job(conn, job.id)?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    if crew.is_empty() {
        return Err(ApiError::conflict(
            "no_helpers",
            "nobody was planned on this work to ask for again",
        ));
    }
    let from = resident.first_name();
    let mut asked = 0;
    for p in crew {
        // Someone who left (or whose data was erased) is not planned any more.
        let Some(p) = participants::find(conn, p)?.filter(|p| p.active) else {
            continue;
        };
        if participants::add_preferred(conn, job.recipient_id, p.id, now)? {
            crate::feedback::mails::asked_again(conn, job, &p, &from, now)?;
        }
        asked += 1;
    }
    if asked == 0 {
        return Err(ApiError::conflict(
            "helpers_gone",
            "the people who did this work no longer work at the servicepunt",
        ));
    }
    Ok(())
}

/// The resident's wishes for helpers who still work here, longest standing first;
/// `staff` see which participant each is.
pub fn of_resident(conn: &mut DbConn, resident_id: i64, staff: bool) -> QueryResult<Vec<PreferredHelper>> {
    let rows: Vec<(i64, i64, String, NaiveDateTime)> = preferred_participants::table
        .inner_join(participant_rows::table)
        .filter(preferred_participants::resident_id.eq(resident_id))
        .filter(participant_rows::active.eq(true))
        .order(preferred_participants::id)
        .select((
            preferred_participants::id,
            preferred_participants::participant_id,
            participant_rows::name,
            preferred_participants::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, participant, name, since)| PreferredHelper {
            id,
            first_name: crate::participants::model::first_name_of(&name),
            participant_id: staff.then_some(participant),
            since,
        })
        .collect())
}

/// Stops the wish `id` of the resident; 404 when it is not theirs.
pub fn withdraw(conn: &mut DbConn, resident_id: i64, id: i64) -> Result<(), ApiError> {
    let gone = diesel::delete(
        preferred_participants::table
            .filter(preferred_participants::id.eq(id))
            .filter(preferred_participants::resident_id.eq(resident_id)),
    )
    .execute(conn)?;
    if gone == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// Forgets the wishes of a resident whose data is erased.
pub fn forget_resident(conn: &mut DbConn, resident_id: i64) -> QueryResult<usize> {
    diesel::delete(preferred_participants::table.filter(preferred_participants::resident_id.eq(resident_id)))
        .execute(conn)
}

/// Forgets the wishes naming a participant whose data is erased.
pub fn forget_participant(conn: &mut DbConn, participant_id: i64) -> QueryResult<usize> {
    diesel::delete(preferred_participants::table.filter(preferred_participants::participant_id.eq(participant_id)))
        .execute(conn)
}

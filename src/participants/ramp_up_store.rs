//! Ramp-up plans in the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::ramp_up::Step;
use crate::db::DbConn;
use crate::db::schema::ramp_up_steps;

/// The plans of participants `ids`: (participant, step), each participant's steps in
/// order of their weeks.
pub fn of_participants(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, Step)>> {
    let rows: Vec<(i64, NaiveDate, i64)> = ramp_up_steps::table
        .filter(ramp_up_steps::participant_id.eq_any(ids))
        .order((ramp_up_steps::participant_id, ramp_up_steps::week_start))
        .select((
            ramp_up_steps::participant_id,
            ramp_up_steps::week_start,
            ramp_up_steps::minutes_per_week,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, week_start, minutes_per_week)| {
            (
                id,
                Step {
                    week_start,
                    minutes_per_week,
                },
            )
        })
        .collect())
}

/// The plan of one participant, in order of its weeks.
pub fn of_participant(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Step>> {
    Ok(of_participants(conn, &[id])?.into_iter().map(|(_, s)| s).collect())
}

/// Puts `steps` in the place of the participant's plan.
pub fn replace(conn: &mut DbConn, id: i64, steps: &[Step], by: i64, now: NaiveDateTime) -> QueryResult<()> {
    delete_of(conn, &[id])?;
    // One statement per step (at most twelve): batch inserts do not build for both
    // backends at once.
    for s in steps {
        diesel::insert_into(ramp_up_steps::table)
            .values((
                ramp_up_steps::participant_id.eq(id),
                ramp_up_steps::week_start.eq(s.week_start),
                ramp_up_steps::minutes_per_week.eq(s.minutes_per_week),
                ramp_up_steps::set_by.eq(by),
                ramp_up_steps::set_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A step at the whole contracted week meant "the contract": when the contract changes
/// from `old` to `new` minutes, participant `id`'s steps at `old` follow it, so a raised
/// contract is not held to the old hours by a plan that had come to its end. How many.
pub fn follow_contract(conn: &mut DbConn, id: i64, old: i64, new: i64) -> QueryResult<usize> {
    diesel::update(
        ramp_up_steps::table
            .filter(ramp_up_steps::participant_id.eq(id))
            .filter(ramp_up_steps::minutes_per_week.eq(old)),
    )
    .set(ramp_up_steps::minutes_per_week.eq(new))
    .execute(conn)
}

/// Removes the plans of participants `ids`; how many steps went.
pub fn delete_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(ramp_up_steps::table.filter(ramp_up_steps::participant_id.eq_any(ids))).execute(conn)
}

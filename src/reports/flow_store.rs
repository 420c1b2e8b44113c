//! Loading the trajectories for the flow report.

use diesel::prelude::*;

use super::flow::Stay;
use crate::db::DbConn;
use crate::db::schema::trajectories;
use crate::participants::trajectory_store::TrajectoryRow;

/// Every trajectory with its last day: those after a period tell whether one ended in it
/// went on into another. A few per participant, a few hundred participants.
pub fn stays(conn: &mut DbConn) -> QueryResult<Vec<Stay>> {
    let rows: Vec<TrajectoryRow> = trajectories::table
        .order(trajectories::id)
        .select(TrajectoryRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|t| Stay {
            last_day: t.period().effective_end(),
            participant_id: t.participant_id,
            kind: t.kind,
            starts_on: t.starts_on,
            exit_reason: t.exit_reason,
        })
        .collect())
}

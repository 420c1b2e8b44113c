//! Loading the trajectories for the flow report.

use diesel::prelude::*;

use super::flow::Stay;
use crate::db::DbConn;
use crate::db::schema::trajectories;
use crate::participants::trajectory::Period;

/// Every trajectory with its last day: those after a period tell whether one ended in it
/// went on into another. A few per participant, a few hundred participants.
pub fn stays(conn: &mut DbConn) -> QueryResult<Vec<Stay>> {
    type Row = (
        i64,
        String,
        chrono::NaiveDate,
        chrono::NaiveDate,
        Option<chrono::NaiveDate>,
        Option<chrono::NaiveDate>,
        Option<String>,
    );
    let rows: Vec<Row> = trajectories::table
        .order(trajectories::id)
        .select((
            trajectories::participant_id,
            trajectories::kind,
            trajectories::starts_on,
            trajectories::ends_on,
            trajectories::extended_until,
            trajectories::ended_on,
            trajectories::exit_reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(participant_id, kind, starts_on, ends_on, extended_until, ended_on, exit_reason)| {
                let period = Period {
                    kind: crate::participants::trajectory::TrajectoryKind::parse(&kind)?,
                    starts_on,
                    ends_on,
                    extended_until,
                    ended_on,
                };
                Some(Stay {
                    participant_id,
                    kind,
                    starts_on,
                    last_day: period.effective_end(),
                    exit_reason,
                })
            },
        )
        .collect())
}

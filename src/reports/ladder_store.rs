//! Loading the progress reviews for the ladder report.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::ladder::Reviewed;
use crate::db::DbConn;
use crate::db::schema::{progress_reviews, trajectories};

/// Every review held up to `to`, with its participant and trajectory kind: those before a
/// period tell where a participant stood when it began. About one a month per
/// participant, a few hundred participants.
pub fn reviewed(conn: &mut DbConn, to: NaiveDate) -> QueryResult<Vec<Reviewed>> {
    let rows: Vec<(i64, String, NaiveDate, i32)> = progress_reviews::table
        .inner_join(trajectories::table)
        .filter(progress_reviews::held_on.le(to))
        .select((
            trajectories::participant_id,
            trajectories::kind,
            progress_reviews::held_on,
            progress_reviews::ladder_step,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(participant_id, kind, held_on, step)| Reviewed {
            participant_id,
            kind,
            held_on,
            step,
        })
        .collect())
}

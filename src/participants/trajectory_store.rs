//! Trajectories in the database.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::trajectory::{Period, TrajectoryKind};
use crate::db::DbConn;
use crate::db::schema::{participants, trajectories};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = trajectories)]
pub struct TrajectoryRow {
    pub id: i64,
    pub participant_id: i64,
    /// `orientation`, `participatiebaan` or `detachering`.
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub extended_until: Option<NaiveDate>,
    pub extension_justification: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub exit_reason: Option<String>,
    pub created_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
}

impl TrajectoryRow {
    pub fn period(&self) -> Period {
        Period {
            kind: TrajectoryKind::parse(&self.kind).unwrap_or(TrajectoryKind::Orientation),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            extended_until: self.extended_until,
            ended_on: self.ended_on,
        }
    }
}

pub fn insert(
    conn: &mut DbConn,
    participant_id: i64,
    p: &Period,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<TrajectoryRow> {
    diesel::insert_into(trajectories::table)
        .values((
            trajectories::participant_id.eq(participant_id),
            trajectories::kind.eq(p.kind.as_str()),
            trajectories::starts_on.eq(p.starts_on),
            trajectories::ends_on.eq(p.ends_on),
            trajectories::created_by.eq(by),
            trajectories::created_at.eq(now),
        ))
        .returning(trajectories::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<TrajectoryRow>> {
    trajectories::table
        .find(id)
        .select(TrajectoryRow::as_select())
        .first(conn)
        .optional()
}

pub fn of_participants(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<TrajectoryRow>> {
    trajectories::table
        .filter(trajectories::participant_id.eq_any(ids))
        .order((trajectories::participant_id, trajectories::starts_on))
        .select(TrajectoryRow::as_select())
        .load(conn)
}

/// The periods of participant `id`'s trajectories, oldest first: what the rules read.
pub fn periods_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Period>> {
    Ok(of_participants(conn, &[id])?
        .iter()
        .map(TrajectoryRow::period)
        .collect())
}

/// The periods of participants `ids`' trajectories by participant, each oldest first;
/// someone without a trajectory is absent.
pub fn periods_by_participant(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Period>>> {
    let mut by: HashMap<i64, Vec<Period>> = HashMap::new();
    for t in of_participants(conn, ids)? {
        by.entry(t.participant_id).or_default().push(t.period());
    }
    Ok(by)
}

pub fn record_extension(conn: &mut DbConn, id: i64, until: NaiveDate, justification: &str) -> QueryResult<()> {
    diesel::update(trajectories::table.find(id))
        .set((
            trajectories::extended_until.eq(until),
            trajectories::extension_justification.eq(justification),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_end(conn: &mut DbConn, id: i64, on: NaiveDate, reason: &str) -> QueryResult<()> {
    diesel::update(trajectories::table.find(id))
        .set((trajectories::ended_on.eq(on), trajectories::exit_reason.eq(reason)))
        .execute(conn)
        .map(|_| ())
}

/// Open trajectories (not ended) whose last day falls in `[from, to]`, with the
/// participant's coach.
pub fn ending_between(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(TrajectoryRow, String, Option<i64>)>> {
    let rows: Vec<(TrajectoryRow, String, Option<i64>)> = trajectories::table
        .inner_join(participants::table)
        .filter(trajectories::ended_on.is_null())
        .select((
            TrajectoryRow::as_select(),
            participants::name,
            participants::coach_user_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(t, _, _)| {
            let end = t.period().effective_end();
            from <= end && end <= to
        })
        .collect())
}

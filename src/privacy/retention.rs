//! Retention of participants' welfare data: once every trajectory of a participant is
//! over (ended, or past its last day) and the retention period after the last has
//! passed, what says something about their welfare goes — attendance, absences, a
//! ramp-up plan, do-not-pair notes, the reasons for clearance changes, the justification
//! and exit reason of their trajectories, their trajectory plans and progress reviews,
//! and the questions put to the sociale dienst about them. What
//! the bonus and the books need (hours worked, statements) stays for the fiscal period.
//! Someone who never had a trajectory is counted from the day they were made inactive.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{attendance, clearance_changes, do_not_pair, participant_absences, participants, trajectories};
use crate::error::ApiError;
use crate::participants::trajectory_store::TrajectoryRow;

/// Participants whose last trajectory ended more than `months` before `today` (pure).
pub fn due(trajectories: &[(i64, Option<NaiveDate>)], today: NaiveDate, months: u32) -> Vec<i64> {
    let mut last_end: BTreeMap<i64, Option<NaiveDate>> = BTreeMap::new();
    for (participant, ended) in trajectories {
        let slot = last_end.entry(*participant).or_insert(*ended);
        *slot = match (*slot, ended) {
            (Some(a), Some(b)) => Some(a.max(*b)),
            // A trajectory still running keeps everything.
            _ => None,
        };
    }
    last_end
        .into_iter()
        .filter_map(|(p, end)| {
            let end = end?;
            (end.checked_add_months(Months::new(months))? < today).then_some(p)
        })
        .collect()
}

/// What `due` counts from for participants who never had a trajectory (a student on a
/// placement, someone who left during intake): the day they were made inactive; nothing
/// while they are active (pure).
pub fn without_trajectory(
    participants: &[(i64, Option<NaiveDate>)],
    with_trajectory: &BTreeSet<i64>,
) -> Vec<(i64, Option<NaiveDate>)> {
    participants
        .iter()
        .filter(|(id, _)| !with_trajectory.contains(id))
        .copied()
        .collect()
}

/// Deletes the welfare data that is due; returns how many participants it concerned.
pub fn run(conn: &mut DbConn, today: NaiveDate, months: u32) -> Result<usize, ApiError> {
    // A trajectory is over on its last day: ended early, or extended, or as planned. One
    // that ran out without a coach ending it is over all the same.
    let mut all: Vec<(i64, Option<NaiveDate>)> = trajectories::table
        .select(TrajectoryRow::as_select())
        .load::<TrajectoryRow>(conn)?
        .into_iter()
        .map(|t| {
            let last = t.period().effective_end();
            (t.participant_id, (last < today).then_some(last))
        })
        .collect();
    let with_trajectory: BTreeSet<i64> = all.iter().map(|(p, _)| *p).collect();
    let profiles: Vec<(i64, Option<NaiveDate>)> = participants::table
        .select((participants::id, participants::inactive_since))
        .load::<(i64, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(id, since)| (id, since.map(|at| at.date())))
        .collect();
    all.extend(without_trajectory(&profiles, &with_trajectory));
    let ids = due(&all, today, months);
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(attendance::table.filter(attendance::participant_id.eq_any(&ids))).execute(conn)?;
    crate::participants::ramp_up_store::delete_of(conn, &ids)?;
    crate::participants::buddy_store::forget_newcomers(conn, &ids)?;
    diesel::delete(participant_absences::table.filter(participant_absences::participant_id.eq_any(&ids)))
        .execute(conn)?;
    diesel::delete(
        do_not_pair::table.filter(
            do_not_pair::participant_id
                .eq_any(&ids)
                .or(do_not_pair::other_participant_id.eq_any(&ids)),
        ),
    )
    .execute(conn)?;
    diesel::update(clearance_changes::table.filter(clearance_changes::participant_id.eq_any(&ids)))
        .set(clearance_changes::reason.eq("[verwijderd na bewaartermijn]"))
        .execute(conn)?;
    diesel::update(participants::table.filter(participants::id.eq_any(&ids)))
        .set(participants::vog_issued_on.eq(None::<NaiveDate>))
        .execute(conn)?;
    let theirs: Vec<i64> = trajectories::table
        .filter(trajectories::participant_id.eq_any(&ids))
        .select(trajectories::id)
        .load(conn)?;
    crate::participants::plan::delete_of(conn, &theirs)?;
    crate::participants::review_store::delete_of(conn, &theirs)?;
    crate::participants::approval_store::delete_of(conn, &theirs)?;
    diesel::update(trajectories::table.filter(trajectories::participant_id.eq_any(&ids)))
        .set((
            trajectories::extension_justification.eq(None::<String>),
            trajectories::exit_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{due, without_trajectory};

    #[test]
    fn who_never_had_a_trajectory_counts_from_leaving() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap_or_default();
        // Inactive since: 1 left, 2 is active, 3 left but had a trajectory.
        let profiles = [(1, Some(d("2024-01-02"))), (2, None), (3, Some(d("2020-01-01")))];
        let with = BTreeSet::from([3]);
        let rows = without_trajectory(&profiles, &with);
        assert_eq!(rows, [(1, Some(d("2024-01-02"))), (2, None)]);
        assert_eq!(due(&rows, d("2026-11-23"), 24), vec![1]);
        assert!(due(&rows, d("2025-11-23"), 24).is_empty());
    }

    #[test]
    fn only_ended_trajectories_past_the_period_are_due() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().ok();
        let today = d("2026-11-23").unwrap_or_default();
        let rows = [
            (1, d("2024-01-31")),
            (2, d("2025-06-01")),
            (3, d("2023-01-01")),
            (3, None),
            (4, d("2022-05-05")),
            (4, d("2024-11-22")),
        ];
        assert_eq!(due(&rows, today, 24), vec![1, 4]);
        assert_eq!(due(&rows, today, 6), vec![1, 2, 4]);
    }
}

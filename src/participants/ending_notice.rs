//! A coach hears ahead of time that a trajectory of their caseload comes to its last day
//! with nothing arranged after it: an extension needs a justification and often the
//! municipality's agreement, and an exit needs a reason and a next step, so a coach
//! who finds out on the day is too late. Trajectories of participants without an active
//! coach are told to the coordinators. Each trajectory is told of once for its last day;
//! extended, it is told of again when the new last day comes near.
//!
//! The mail says how many trajectories and the earliest last day, not whose: trajectories
//! are welfare data, and the coach reads them in the list behind the link.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::coach_mail::Recipients;
use super::store as participants;
use super::trajectory_store::{self, TrajectoryRow};
use crate::auth::email_links;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::notify::Template;
use crate::planning::reminders;

/// How many days before its last day a coach hears a trajectory ends: six weeks, time
/// for a weekly meeting with the municipality before deciding.
pub const NOTICE_DAYS: i64 = 42;
pub const KIND: &str = "trajectory_ending";
/// The page of the coaches' screen that lists trajectories ending soon.
pub const LIST_PAGE: &str = "trajectories/ending";

/// The trajectories among `ending` (their last day within the notice) with nothing
/// after them: no later trajectory of the same participant in `all` (pure).
pub fn without_follow_up<'a>(ending: &'a [TrajectoryRow], all: &[TrajectoryRow]) -> Vec<&'a TrajectoryRow> {
    ending
        .iter()
        .filter(|t| {
            !all.iter()
                .any(|o| o.participant_id == t.participant_id && o.id != t.id && o.starts_on > t.starts_on)
        })
        .collect()
}

/// Tells each coach (or, for participants without one, the coordinators) of the
/// trajectories that came within the notice today and were not told of. Returns how
/// many mails went out.
pub fn run(conn: &mut DbConn, today: NaiveDate, public_url: &str, now: NaiveDateTime) -> Result<usize, ApiError> {
    let to = today + chrono::Duration::days(NOTICE_DAYS);
    let rows = trajectory_store::ending_between(conn, today, to)?;
    let ending: Vec<TrajectoryRow> = rows.into_iter().map(|(t, _, _)| t).collect();
    let ids: Vec<i64> = ending.iter().map(|t| t.participant_id).collect();
    let all = trajectory_store::of_participants(conn, &ids)?;
    // Per coach (None: the coordinators), the last days newly told of.
    let mut per_coach: BTreeMap<Option<i64>, Vec<NaiveDate>> = BTreeMap::new();
    let mut recipients = Recipients::default();
    for t in without_follow_up(&ending, &all) {
        let Some(p) = participants::find(conn, t.participant_id)? else {
            continue;
        };
        if p.erased() {
            continue;
        }
        let last_day = t.period().effective_end();
        if !reminders::claim(conn, KIND, t.id, last_day, now)? {
            continue;
        }
        let to = recipients.resolve(conn, p.coach_user_id)?;
        per_coach.entry(to).or_default().push(last_day);
    }
    let mut sent = 0;
    for (to, days) in per_coach {
        let data = |name: &str| {
            let mut data = json!({
                "name": name,
                "count": days.len(),
                "first": days.iter().min().map(|d| d.to_string()),
                "within_days": NOTICE_DAYS,
            });
            if !public_url.is_empty() {
                data["link"] = json!(email_links::page(public_url, LIST_PAGE));
            }
            data
        };
        sent += recipients.send(conn, to, Template::TrajectoriesEnding, data, now)?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trajectory(id: i64, participant_id: i64, starts: &str, ends: &str) -> TrajectoryRow {
        TrajectoryRow {
            id,
            participant_id,
            kind: "participatiebaan".into(),
            starts_on: starts.parse().unwrap(),
            ends_on: ends.parse().unwrap(),
            extended_until: None,
            extension_justification: None,
            ended_on: None,
            exit_reason: None,
            created_by: 1,
            created_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn a_trajectory_with_a_next_one_arranged_needs_no_notice() {
        let ending = [
            trajectory(1, 10, "2026-01-01", "2026-12-31"),
            trajectory(2, 20, "2026-11-01", "2026-12-27"),
        ];
        let mut all = ending.to_vec();
        // Participant 10 goes on in a detachering; participant 20's earlier orientation
        // changes nothing.
        all.push(trajectory(3, 10, "2027-01-01", "2027-12-31"));
        all.push(trajectory(4, 20, "2026-09-01", "2026-10-31"));
        let due: Vec<i64> = without_follow_up(&ending, &all).iter().map(|t| t.id).collect();
        assert_eq!(due, [2]);
    }
}

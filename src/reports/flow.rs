//! Inflow and outflow of trajectories over a period (a quarter, for the municipality),
//! by kind: how many ran when it began, started, ended (and why), and ran when it ended.
//! Pure: the caller loads the trajectories.
//!
//! A trajectory ends on its last day (ended early, extended, or as planned) once that day
//! is past. Why: the exit reason recorded when it was ended early; else `continued` when
//! the participant has a later trajectory (orientation → participatiebaan → detachering,
//! still with us); else `reached_end` (its last day came with nothing after it).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::summary::{Count, count_by};

/// What the report needs of one trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub participant_id: i64,
    pub kind: String,
    pub starts_on: NaiveDate,
    /// Its last day: ended early, extended, or as planned.
    pub last_day: NaiveDate,
    pub exit_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct KindFlow {
    /// `orientation`, `participatiebaan` or `detachering`; `all` for the total.
    pub kind: String,
    /// Running on the period's first day, begun before it.
    pub at_start: i64,
    pub started: i64,
    pub ended: i64,
    /// Running after the period's last day: at_start + started − ended.
    pub at_end: i64,
    /// The ended, by why: an exit reason, `continued` or `reached_end`.
    pub exits: Vec<Count>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrajectoryFlow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kinds: Vec<KindFlow>,
    pub total: KindFlow,
    /// Participants who left in the period with nothing after it: the outflow.
    pub left: i64,
}

/// Whether `s` ended in `[from, to]`, as seen on `today` (a last day still to come has
/// not ended).
fn ended_in(s: &Stay, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> bool {
    from <= s.last_day && s.last_day <= to && s.last_day < today
}

fn why(s: &Stay, all: &[Stay]) -> String {
    if let Some(reason) = &s.exit_reason {
        return reason.clone();
    }
    let later = all
        .iter()
        .any(|o| o.participant_id == s.participant_id && o.starts_on > s.last_day);
    if later { "continued" } else { "reached_end" }.to_owned()
}

fn tally(kind: &str, stays: &[&Stay], all: &[Stay], from: NaiveDate, to: NaiveDate, today: NaiveDate) -> KindFlow {
    let at_start = stays
        .iter()
        .filter(|s| s.starts_on < from && s.last_day >= from)
        .count() as i64;
    let started = stays
        .iter()
        .filter(|s| from <= s.starts_on && s.starts_on <= to)
        .count() as i64;
    let ended: Vec<&&Stay> = stays.iter().filter(|s| ended_in(s, from, to, today)).collect();
    KindFlow {
        kind: kind.to_owned(),
        at_start,
        started,
        ended: ended.len() as i64,
        at_end: at_start + started - ended.len() as i64,
        exits: count_by(ended.iter().map(|s| why(s, all))),
    }
}

/// The flow of `[from, to]` over `all` trajectories, seen on `today`.
pub fn flow(all: &[Stay], from: NaiveDate, to: NaiveDate, today: NaiveDate) -> TrajectoryFlow {
    let mut kinds: Vec<&str> = all.iter().map(|s| s.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let per_kind = kinds
        .into_iter()
        .map(|k| {
            let of_kind: Vec<&Stay> = all.iter().filter(|s| s.kind == k).collect();
            tally(k, &of_kind, all, from, to, today)
        })
        .filter(|f| f.at_start + f.started + f.ended > 0)
        .collect();
    let every: Vec<&Stay> = all.iter().collect();
    let total = tally("all", &every, all, from, to, today);
    let left = total
        .exits
        .iter()
        .filter(|c| c.key != "continued")
        .map(|c| c.count)
        .sum();
    TrajectoryFlow {
        from,
        to,
        kinds: per_kind,
        total,
        left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn stay(p: i64, kind: &str, from: &str, last: &str, reason: Option<&str>) -> Stay {
        Stay {
            participant_id: p,
            kind: kind.into(),
            starts_on: d(from),
            last_day: d(last),
            exit_reason: reason.map(Into::into),
        }
    }

    fn count(key: &str, n: i64) -> Count {
        Count {
            key: key.into(),
            count: n,
        }
    }

    #[test]
    fn a_quarter_counts_who_came_who_went_on_and_who_left_and_why() {
        let all = [
            // 1: orientation in the quarter, then a participatiebaan running past it.
            stay(1, "orientation", "2026-07-06", "2026-08-30", None),
            stay(1, "participatiebaan", "2026-08-31", "2027-08-30", None),
            // 2: a participatiebaan from before, ended early for regular work.
            stay(2, "participatiebaan", "2026-01-01", "2026-09-15", Some("regular_work")),
            // 3: a detachering that reached its last day in the quarter.
            stay(3, "detachering", "2025-10-01", "2026-09-30", None),
            // 4: long gone; 5: starts after the quarter.
            stay(4, "orientation", "2025-01-01", "2025-02-25", None),
            stay(5, "orientation", "2026-10-05", "2026-11-29", None),
        ];
        let f = flow(&all, d("2026-07-01"), d("2026-09-30"), d("2026-11-01"));
        let kinds: Vec<(&str, i64, i64, i64, i64)> = f
            .kinds
            .iter()
            .map(|k| (k.kind.as_str(), k.at_start, k.started, k.ended, k.at_end))
            .collect();
        assert_eq!(
            kinds,
            [
                ("detachering", 1, 0, 1, 0),
                ("orientation", 0, 1, 1, 0),
                ("participatiebaan", 1, 1, 1, 1),
            ]
        );
        assert_eq!(
            f.total.exits,
            [count("continued", 1), count("reached_end", 1), count("regular_work", 1)]
        );
        assert_eq!(
            (f.total.at_start, f.total.started, f.total.ended, f.total.at_end),
            (2, 2, 3, 1)
        );
        assert_eq!(f.left, 2, "the orientation went on; two left");
    }

    #[test]
    fn a_last_day_still_to_come_has_not_ended() {
        let all = [stay(1, "orientation", "2026-07-06", "2026-08-30", None)];
        let f = flow(&all, d("2026-07-01"), d("2026-09-30"), d("2026-08-15"));
        assert_eq!((f.total.started, f.total.ended, f.total.at_end), (1, 0, 1));
        let on_the_day = flow(&all, d("2026-07-01"), d("2026-09-30"), d("2026-08-30"));
        assert_eq!(on_the_day.total.ended, 0, "it runs through its last day");
        let after = flow(&all, d("2026-07-01"), d("2026-09-30"), d("2026-08-31"));
        assert_eq!(after.total.ended, 1);
    }
}

//! When work can be planned (pure): a span in Dutch local time and in UTC, the dagdelen
//! of a day and the ones a span touches. Planned work stays within 08:00–21:30 of one day.

use chrono::{Datelike, NaiveDateTime, NaiveTime};

use crate::jobs::model::Dagdeel;

/// A time span, in Dutch local time (for dagdelen and weeks) and in UTC (for storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub local_start: NaiveDateTime,
    pub local_end: NaiveDateTime,
    pub utc_start: NaiveDateTime,
    pub utc_end: NaiveDateTime,
}

impl Slot {
    /// A span given in UTC (as stored), with its Dutch local times.
    pub fn from_utc(utc_start: NaiveDateTime, utc_end: NaiveDateTime) -> Slot {
        let local = |t: NaiveDateTime| t + crate::clock::amsterdam_offset(t.and_utc());
        Slot {
            local_start: local(utc_start),
            local_end: local(utc_end),
            utc_start,
            utc_end,
        }
    }

    /// A span given in Dutch local time.
    pub fn from_local(local_start: NaiveDateTime, local_end: NaiveDateTime) -> Slot {
        let utc = |t: NaiveDateTime| {
            let guess = t - chrono::Duration::hours(1);
            t - crate::clock::amsterdam_offset(guess.and_utc())
        };
        Slot {
            local_start,
            local_end,
            utc_start: utc(local_start),
            utc_end: utc(local_end),
        }
    }

    pub fn minutes(&self) -> i64 {
        (self.utc_end - self.utc_start).num_minutes()
    }

    pub fn week(&self) -> (i32, u32) {
        let w = self.local_start.date().iso_week();
        (w.year(), w.week())
    }
}

/// Local time bounds of each dagdeel.
pub fn dagdeel_bounds(d: Dagdeel) -> (NaiveTime, NaiveTime) {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    match d {
        Dagdeel::Morning => (t(8, 0), t(12, 30)),
        Dagdeel::Afternoon => (t(12, 30), t(17, 30)),
        Dagdeel::Evening => (t(17, 30), t(21, 30)),
    }
}

/// No planned work lasts longer: `dagdelen_of` keeps it within 08:00–21:30 of one day,
/// and every assignment, created or moved, passes `check_crew`. Lets a search for work
/// overlapping a period bound its start from below.
pub const LONGEST_ASSIGNMENT: chrono::TimeDelta = chrono::TimeDelta::hours(24);

const DAGDELEN: [Dagdeel; 3] = [Dagdeel::Morning, Dagdeel::Afternoon, Dagdeel::Evening];

/// The dagdelen a local span touches, or `None` when it lies outside 08:00–21:30 or
/// crosses midnight.
pub fn dagdelen_of(start: NaiveDateTime, end: NaiveDateTime) -> Option<Vec<Dagdeel>> {
    if start.date() != end.date() && !(end.date() == start.date().succ_opt()? && end.time() == NaiveTime::MIN) {
        return None;
    }
    let (s, e) = (
        start.time(),
        if end.time() == NaiveTime::MIN {
            NaiveTime::from_hms_opt(23, 59, 59)?
        } else {
            end.time()
        },
    );
    if s < dagdeel_bounds(Dagdeel::Morning).0 || e > dagdeel_bounds(Dagdeel::Evening).1 {
        return None;
    }
    Some(
        DAGDELEN
            .into_iter()
            .filter(|d| {
                let (ds, de) = dagdeel_bounds(*d);
                s < de && ds < e
            })
            .collect(),
    )
}

//! Trajectory rules (pure). A participant follows, in order, an orientation of eight weeks,
//! then a participatiebaan (at most 12 months, one extension of at most 12 months) or a
//! detachering (at most 12 months, one extension of at most 6 months). Trajectories of
//! one participant do not overlap, and the whole stay lasts at most four years.

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TrajectoryKind {
    Orientation,
    Participatiebaan,
    Detachering,
}

impl TrajectoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TrajectoryKind::Orientation => "orientation",
            TrajectoryKind::Participatiebaan => "participatiebaan",
            TrajectoryKind::Detachering => "detachering",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Orientation, Self::Participatiebaan, Self::Detachering]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The last day a trajectory starting on `start` may run before any extension.
    pub fn longest_end(self, start: NaiveDate) -> NaiveDate {
        let end = match self {
            TrajectoryKind::Orientation => Some(start + Duration::weeks(8)),
            _ => start.checked_add_months(Months::new(12)),
        };
        end.and_then(|d| d.pred_opt()).unwrap_or(start)
    }

    /// How far the one extension may reach past the planned end.
    fn extension_months(self) -> Option<u32> {
        match self {
            TrajectoryKind::Orientation => None,
            TrajectoryKind::Participatiebaan => Some(12),
            TrajectoryKind::Detachering => Some(6),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    RegularWork,
    CareRoute,
    Wsw,
    BenefitEnded,
    Other,
}

impl ExitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ExitReason::RegularWork => "regular_work",
            ExitReason::CareRoute => "care_route",
            ExitReason::Wsw => "wsw",
            ExitReason::BenefitEnded => "benefit_ended",
            ExitReason::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: TrajectoryKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub extended_until: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

impl Period {
    /// The last day the trajectory runs: ended early, extended, or as planned.
    pub fn effective_end(&self) -> NaiveDate {
        self.ended_on.unwrap_or(self.extended_until.unwrap_or(self.ends_on))
    }

    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.starts_on <= date && date <= self.effective_end()
    }
}

/// A broken trajectory rule: a stable code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub code: &'static str,
    pub message: String,
}

fn broken(code: &'static str, message: impl Into<String>) -> Broken {
    Broken {
        code,
        message: message.into(),
    }
}

const MAX_STAY_MONTHS: u32 = 48;

fn stay_fits(periods: impl Iterator<Item = (NaiveDate, NaiveDate)>) -> bool {
    let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
    for (start, end) in periods {
        first = Some(first.map_or(start, |f| f.min(start)));
        last = Some(last.map_or(end, |l| l.max(end)));
    }
    match (first, last) {
        (Some(first), Some(last)) => first
            .checked_add_months(Months::new(MAX_STAY_MONTHS))
            .is_some_and(|limit| last < limit),
        _ => true,
    }
}

/// Checks a new trajectory against the participant's others. `ends_on` defaults to the
/// longest the kind allows (for an orientation: exactly eight weeks).
pub fn plan(
    existing: &[Period],
    kind: TrajectoryKind,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> Result<Period, Broken> {
    let longest = kind.longest_end(starts_on);
    let ends_on = ends_on.unwrap_or(longest);
    if ends_on < starts_on {
        return Err(broken("period_reversed", "the end is before the start"));
    }
    if kind == TrajectoryKind::Orientation && ends_on != longest {
        return Err(broken(
            "orientation_is_eight_weeks",
            format!("an orientation lasts eight weeks: until {longest}"),
        ));
    }
    if ends_on > longest {
        return Err(broken(
            "trajectory_too_long",
            format!("a {} lasts at most until {longest}", kind.as_str()),
        ));
    }
    let new = Period {
        kind,
        starts_on,
        ends_on,
        extended_until: None,
        ended_on: None,
    };
    if existing
        .iter()
        .any(|p| p.starts_on <= new.ends_on && new.starts_on <= p.effective_end())
    {
        return Err(broken(
            "trajectory_overlap",
            "this overlaps another trajectory of the participant",
        ));
    }
    if !stay_fits(
        existing
            .iter()
            .chain(std::iter::once(&new))
            .map(|p| (p.starts_on, p.effective_end())),
    ) {
        return Err(broken("stay_too_long", "the whole stay may last at most four years"));
    }
    Ok(new)
}

/// Whether a trajectory can still be extended at all: not an orientation, not extended
/// before, not ended. The number of months it may be extended by.
pub fn extendable(period: &Period) -> Result<u32, Broken> {
    let Some(months) = period.kind.extension_months() else {
        return Err(broken("not_extendable", "an orientation cannot be extended"));
    };
    if period.extended_until.is_some() {
        return Err(broken("already_extended", "a trajectory can be extended once"));
    }
    if period.ended_on.is_some() {
        return Err(broken("trajectory_ended", "this trajectory has ended"));
    }
    Ok(months)
}

/// Checks the one extension of a trajectory.
pub fn extend(period: &Period, others: &[Period], until: NaiveDate) -> Result<Period, Broken> {
    let months = extendable(period)?;
    if until <= period.ends_on {
        return Err(broken(
            "extension_not_later",
            "the extension must end after the planned end",
        ));
    }
    let limit = period
        .ends_on
        .checked_add_months(Months::new(months))
        .unwrap_or(period.ends_on);
    if until > limit {
        return Err(broken(
            "extension_too_long",
            format!("a {} may be extended until {limit} at most", period.kind.as_str()),
        ));
    }
    let extended = Period {
        extended_until: Some(until),
        ..*period
    };
    if others
        .iter()
        .any(|p| p.starts_on <= until && extended.starts_on <= p.effective_end())
    {
        return Err(broken(
            "trajectory_overlap",
            "the extension overlaps another trajectory",
        ));
    }
    if !stay_fits(
        others
            .iter()
            .chain(std::iter::once(&extended))
            .map(|p| (p.starts_on, p.effective_end())),
    ) {
        return Err(broken("stay_too_long", "the whole stay may last at most four years"));
    }
    Ok(extended)
}

/// Checks ending a trajectory on `on` (its last day).
pub fn end(period: &Period, on: NaiveDate) -> Result<Period, Broken> {
    if period.ended_on.is_some() {
        return Err(broken("trajectory_ended", "this trajectory has ended already"));
    }
    if on < period.starts_on || on > period.effective_end() {
        return Err(broken(
            "end_outside_trajectory",
            "the last day must fall within the trajectory",
        ));
    }
    Ok(Period {
        ended_on: Some(on),
        ..*period
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn orientation_is_exactly_eight_weeks() {
        let p = plan(&[], TrajectoryKind::Orientation, d("2026-01-05"), None).unwrap();
        assert_eq!(p.ends_on, d("2026-03-01"));
        assert_eq!(
            plan(&[], TrajectoryKind::Orientation, d("2026-01-05"), Some(d("2026-02-01")))
                .unwrap_err()
                .code,
            "orientation_is_eight_weeks"
        );
        assert_eq!(extend(&p, &[], d("2026-04-01")).unwrap_err().code, "not_extendable");
    }

    #[test]
    fn participatiebaan_twelve_months_and_one_extension_of_twelve() {
        let p = plan(&[], TrajectoryKind::Participatiebaan, d("2026-03-02"), None).unwrap();
        assert_eq!(p.ends_on, d("2027-03-01"));
        assert_eq!(
            plan(
                &[],
                TrajectoryKind::Participatiebaan,
                d("2026-03-02"),
                Some(d("2027-03-02"))
            )
            .unwrap_err()
            .code,
            "trajectory_too_long"
        );
        assert_eq!(extend(&p, &[], d("2028-03-02")).unwrap_err().code, "extension_too_long");
        let e = extend(&p, &[], d("2028-03-01")).unwrap();
        assert_eq!(e.effective_end(), d("2028-03-01"));
        assert_eq!(extend(&e, &[], d("2028-03-01")).unwrap_err().code, "already_extended");
    }

    #[test]
    fn detachering_extension_is_six_months() {
        let p = plan(&[], TrajectoryKind::Detachering, d("2026-01-01"), None).unwrap();
        assert_eq!(extend(&p, &[], d("2027-07-01")).unwrap_err().code, "extension_too_long");
        assert!(extend(&p, &[], d("2027-06-30")).is_ok());
    }

    #[test]
    fn no_overlap_and_at_most_four_years() {
        let o = plan(&[], TrajectoryKind::Orientation, d("2026-01-05"), None).unwrap();
        assert_eq!(
            plan(&[o], TrajectoryKind::Participatiebaan, d("2026-02-20"), None)
                .unwrap_err()
                .code,
            "trajectory_overlap"
        );
        let p = plan(&[o], TrajectoryKind::Participatiebaan, d("2026-03-02"), None).unwrap();
        let p = extend(&p, &[o], d("2028-03-01")).unwrap();
        let det = plan(&[o, p], TrajectoryKind::Detachering, d("2028-03-02"), None).unwrap();
        // 8 weeks + 2 years + 1 year fits; a further extension past four years does not.
        assert_eq!(
            extend(&det, &[o, p], d("2029-09-02")).unwrap_err().code,
            "extension_too_long"
        );
        let late = plan(
            &[o, p, det],
            TrajectoryKind::Detachering,
            d("2029-03-02"),
            Some(d("2030-01-05")),
        );
        assert_eq!(late.unwrap_err().code, "stay_too_long");
    }

    #[test]
    fn ending_early_and_activity() {
        let p = plan(&[], TrajectoryKind::Participatiebaan, d("2026-01-01"), None).unwrap();
        let ended = end(&p, d("2026-06-30")).unwrap();
        assert!(ended.active_on(d("2026-06-30")));
        assert!(
            !ended.active_on(d("2026-07-01")),
            "a participatiebaan that ended yesterday is not active today"
        );
        assert_eq!(end(&ended, d("2026-06-30")).unwrap_err().code, "trajectory_ended");
        assert_eq!(end(&p, d("2025-12-31")).unwrap_err().code, "end_outside_trajectory");
    }

    proptest! {
        /// However trajectories are planned one after another, they never overlap and the
        /// stay never exceeds four years.
        #[test]
        fn planned_trajectories_keep_the_rules(steps in proptest::collection::vec((0u8..3, 0i64..400, proptest::option::of(0i64..500)), 1..8)) {
            let mut periods: Vec<Period> = Vec::new();
            let mut cursor = d("2026-01-01");
            for (kind, gap, length) in steps {
                let kind = [TrajectoryKind::Orientation, TrajectoryKind::Participatiebaan, TrajectoryKind::Detachering][kind as usize];
                let start = cursor + Duration::days(gap - 100);
                if let Ok(p) = plan(&periods, kind, start, length.map(|l| start + Duration::days(l))) {
                    periods.push(p);
                    cursor = p.ends_on;
                }
            }
            for (i, a) in periods.iter().enumerate() {
                for b in &periods[i + 1..] {
                    prop_assert!(a.effective_end() < b.starts_on || b.effective_end() < a.starts_on);
                }
            }
            prop_assert!(stay_fits(periods.iter().map(|p| (p.starts_on, p.effective_end()))));
        }
    }
}

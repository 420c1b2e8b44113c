//! The participation ladder over a period (a month, for the coaches' monthly overview; a
//! quarter, for the municipality): of the participants reviewed in it, how many moved
//! up, stayed or moved down, and the steps they stand on. Pure: the caller loads the
//! reviews.
//!
//! A participant's move is from their last review before the period (else their first in
//! it) to their last in it. One reviewed for the very first time, once, has no move yet.
//! They count under the kind of trajectory of their last review in the period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::participants::review::{LADDER, step_name};

/// What the report needs of one review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub participant_id: i64,
    /// The kind of the trajectory it was held in.
    pub kind: String,
    pub held_on: NaiveDate,
    pub step: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StepCount {
    pub step: i32,
    pub name: &'static str,
    pub participants: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KindLadder {
    /// `orientation`, `participatiebaan` or `detachering`; `all` for the total.
    pub kind: String,
    /// Participants with a review in the period.
    pub reviewed: i64,
    pub moved_up: i64,
    pub stayed: i64,
    pub moved_down: i64,
    /// Reviewed for the first time, once: no move to tell yet.
    pub first_review: i64,
    /// The step each stands on at their last review in the period, steps 1 to 6.
    pub steps: Vec<StepCount>,
}

impl KindLadder {
    fn new(kind: &str) -> Self {
        KindLadder {
            kind: kind.to_owned(),
            reviewed: 0,
            moved_up: 0,
            stayed: 0,
            moved_down: 0,
            first_review: 0,
            steps: (1..=LADDER.len() as i32)
                .map(|step| StepCount {
                    step,
                    name: step_name(step),
                    participants: 0,
                })
                .collect(),
        }
    }

    fn count(&mut self, from: Option<i32>, to: i32) {
        self.reviewed += 1;
        match from.map(|f| to.cmp(&f)) {
            None => self.first_review += 1,
            Some(std::cmp::Ordering::Greater) => self.moved_up += 1,
            Some(std::cmp::Ordering::Equal) => self.stayed += 1,
            Some(std::cmp::Ordering::Less) => self.moved_down += 1,
        }
        if let Some(s) = self.steps.iter_mut().find(|s| s.step == to) {
            s.participants += 1;
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LadderReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Reviews held in the period.
    pub reviews: i64,
    pub kinds: Vec<KindLadder>,
    pub total: KindLadder,
}

/// The report over `[from, to]` from every review (any order; those after `to` are left
/// out).
pub fn ladder(reviews: &[Reviewed], from: NaiveDate, to: NaiveDate) -> LadderReport {
    let mut theirs: BTreeMap<i64, Vec<&Reviewed>> = BTreeMap::new();
    for r in reviews.iter().filter(|r| r.held_on <= to) {
        theirs.entry(r.participant_id).or_default().push(r);
    }
    let mut kinds: BTreeMap<String, KindLadder> = BTreeMap::new();
    let mut total = KindLadder::new("all");
    let mut held = 0;
    for rs in theirs.values_mut() {
        rs.sort_by_key(|r| r.held_on);
        let (before, within): (Vec<&Reviewed>, Vec<&Reviewed>) = rs.iter().partition(|r| r.held_on < from);
        let Some(last) = within.last() else { continue };
        held += within.len() as i64;
        let base = before.last().or_else(|| within.first().filter(|_| within.len() > 1));
        let from_step = base.map(|b| b.step);
        total.count(from_step, last.step);
        kinds
            .entry(last.kind.clone())
            .or_insert_with(|| KindLadder::new(&last.kind))
            .count(from_step, last.step);
    }
    LadderReport {
        from,
        to,
        reviews: held,
        kinds: kinds.into_values().collect(),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(participant_id: i64, kind: &str, month: u32, step: i32) -> Reviewed {
        Reviewed {
            participant_id,
            kind: kind.to_owned(),
            held_on: NaiveDate::from_ymd_opt(2026, month, 10).unwrap(),
            step,
        }
    }

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, d).unwrap()
    }

    #[test]
    fn moves_are_from_the_last_review_before_the_period_to_the_last_in_it() {
        let reviews = [
            // Up from 2 (before) to 3 (last in the quarter), through a 4.
            r(1, "orientation", 1, 2),
            r(1, "participatiebaan", 4, 4),
            r(1, "participatiebaan", 5, 3),
            // Two in the quarter, none before: from the first to the last.
            r(2, "participatiebaan", 4, 3),
            r(2, "participatiebaan", 6, 3),
            // Down.
            r(3, "detachering", 2, 5),
            r(3, "detachering", 6, 4),
            // Once, ever: a first review.
            r(4, "orientation", 5, 1),
            // Not reviewed in the quarter: before it and after it only.
            r(5, "orientation", 1, 1),
            r(5, "orientation", 8, 2),
        ];
        let report = ladder(&reviews, day(4, 1), day(6, 30));
        assert_eq!(report.reviews, 6);
        let t = &report.total;
        assert_eq!(
            (t.reviewed, t.moved_up, t.stayed, t.moved_down, t.first_review),
            (4, 1, 1, 1, 1)
        );
        let on: Vec<i64> = t.steps.iter().map(|s| s.participants).collect();
        assert_eq!(on, [1, 0, 2, 1, 0, 0]);
        assert_eq!(t.steps[5].name, "betaald werk");
        let kinds: Vec<(&str, i64, i64)> = report
            .kinds
            .iter()
            .map(|k| (k.kind.as_str(), k.reviewed, k.moved_up))
            .collect();
        assert_eq!(
            kinds,
            [("detachering", 1, 0), ("orientation", 1, 0), ("participatiebaan", 2, 1)]
        );
    }

    #[test]
    fn a_period_without_reviews_counts_nothing() {
        let report = ladder(&[r(1, "orientation", 1, 2)], day(4, 1), day(4, 30));
        assert_eq!((report.reviews, report.total.reviewed), (0, 0));
        assert!(report.kinds.is_empty());
        assert_eq!(report.total.steps.len(), 6);
    }
}

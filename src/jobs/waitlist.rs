//! The waiting list (pure): accepted jobs wait in order of acceptance; residents who pay
//! the reduced rate (70-plus or Wmo) queue as if accepted a set time earlier, so within
//! that time they go first. The estimated wait follows recent throughput.

use chrono::{Duration, NaiveDateTime};

/// The moment that orders a job in the queue.
pub fn queue_at(accepted_at: NaiveDateTime, priority: bool, priority_advance: Duration) -> NaiveDateTime {
    if priority {
        accepted_at - priority_advance
    } else {
        accepted_at
    }
}

/// A waitlisted job as its service's queue orders it: (id, service, queue moment).
pub type QueuedJob = (i64, i64, Option<NaiveDateTime>);

/// The 1-based place of `job` in its service's queue, among `queue` (the waitlisted jobs,
/// in any order): ahead of it are those of the same service queued earlier, or at the
/// same moment with a lower id. 0 for a job without a queue moment.
pub fn position(queue: &[QueuedJob], job: QueuedJob) -> i64 {
    let (id, service, Some(at)) = job else { return 0 };
    let ahead = queue
        .iter()
        .filter(|(other, s, other_at)| *s == service && other_at.is_some_and(|t| (t, *other) < (at, id)))
        .count();
    i64::try_from(ahead).unwrap_or(i64::MAX - 1) + 1
}

/// Days until a job at `position` (1-based) is likely planned, from how many jobs of the
/// same service were planned in the last `days_observed` days; unknown without history.
pub fn estimated_wait_days(position: i64, planned_recently: i64, days_observed: i64) -> Option<i64> {
    if planned_recently <= 0 || days_observed <= 0 || position <= 0 {
        return None;
    }
    // ceil(position / (planned / days)) without floats
    Some((position * days_observed + planned_recently - 1) / planned_recently)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_in_the_queue_counts_the_same_service_queued_before() {
        let at = |h: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
                .unwrap()
                .and_hms_opt(h, 0, 0)
        };
        let queue = [
            (10, 1, at(9)),
            (11, 1, at(8)),
            (12, 1, at(9)),
            (13, 2, at(7)),
            (14, 1, None),
        ];
        assert_eq!(position(&queue, queue[1]), 1);
        assert_eq!(position(&queue, queue[0]), 2);
        // The same moment: the lower id goes first.
        assert_eq!(position(&queue, queue[2]), 3);
        // Another service's queue is its own.
        assert_eq!(position(&queue, queue[3]), 1);
        assert_eq!(position(&queue, queue[4]), 0);
    }

    #[test]
    fn priority_residents_go_first_within_the_advance() {
        let base = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let week = Duration::days(7);
        let regular = queue_at(base, false, week);
        let priority_six_days_later = queue_at(base + Duration::days(6), true, week);
        let priority_eight_days_later = queue_at(base + Duration::days(8), true, week);
        assert!(priority_six_days_later < regular);
        assert!(priority_eight_days_later > regular);
    }

    #[test]
    fn wait_follows_throughput() {
        assert_eq!(estimated_wait_days(1, 28, 28), Some(1));
        assert_eq!(estimated_wait_days(10, 14, 28), Some(20));
        assert_eq!(estimated_wait_days(3, 7, 28), Some(12));
        assert_eq!(estimated_wait_days(3, 0, 28), None);
    }
}

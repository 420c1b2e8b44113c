//! Rules for worked time and billing (pure).

use chrono::{Duration, NaiveDateTime};

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

/// The longest a single log may run.
pub const MAX_LOG_MINUTES: i64 = 12 * 60;
/// How far a job log may lie outside its assignment before it needs a note.
pub const SLACK_MINUTES: i64 = 60;

/// Worked minutes of a log: its span less the break.
pub fn worked_minutes(start: NaiveDateTime, end: NaiveDateTime, break_minutes: i64) -> Result<i64, Broken> {
    let span = (end - start).num_minutes();
    if span <= 0 {
        return Err(broken("span_reversed", "the end must be after the start"));
    }
    if span > MAX_LOG_MINUTES {
        return Err(broken(
            "log_too_long",
            format!("one log covers at most {} hours", MAX_LOG_MINUTES / 60),
        ));
    }
    if break_minutes < 0 || break_minutes >= span {
        return Err(broken(
            "invalid_break",
            "the break is at least 0 and shorter than the time worked",
        ));
    }
    Ok(span - break_minutes)
}

/// The first of `others` that shares time with `start`..`end`, if any (touching is not
/// sharing).
pub fn overlapping(
    start: NaiveDateTime,
    end: NaiveDateTime,
    others: &[(NaiveDateTime, NaiveDateTime)],
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    others.iter().copied().find(|(s, e)| *s < end && start < *e)
}

pub fn overlaps(start: NaiveDateTime, end: NaiveDateTime, others: &[(NaiveDateTime, NaiveDateTime)]) -> bool {
    overlapping(start, end, others).is_some()
}

/// The span from the first start to the last end of a job's logs.
pub fn job_span(logs: &[(NaiveDateTime, NaiveDateTime)]) -> i64 {
    let first = logs.iter().map(|l| l.0).min();
    let last = logs.iter().map(|l| l.1).max();
    match (first, last) {
        (Some(f), Some(l)) => (l - f).num_minutes(),
        _ => 0,
    }
}

/// Whether a log lies so far outside its assignment that it needs a note.
pub fn far_outside(log: (NaiveDateTime, NaiveDateTime), assignment: (NaiveDateTime, NaiveDateTime)) -> bool {
    let slack = Duration::minutes(SLACK_MINUTES);
    log.0 < assignment.0 - slack || log.1 > assignment.1 + slack
}

/// Billable minutes: the worked span rounded up to whole units (one cheque per started
/// unit; 60 by default, 30 pairs with half-hour cheques).
pub fn billable(span_minutes: i64, unit: i64) -> i64 {
    if span_minutes <= 0 || unit <= 0 {
        return 0;
    }
    (span_minutes + unit - 1) / unit * unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 5, 4)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn worked_is_span_less_break() {
        assert_eq!(worked_minutes(t(9, 0), t(12, 30), 15), Ok(195));
        assert_eq!(worked_minutes(t(9, 0), t(9, 0), 0).unwrap_err().code, "span_reversed");
        assert_eq!(worked_minutes(t(9, 0), t(10, 0), 60).unwrap_err().code, "invalid_break");
        assert_eq!(worked_minutes(t(6, 0), t(18, 1), 0).unwrap_err().code, "log_too_long");
    }

    #[test]
    fn two_hours_ten_bills_three_hours() {
        assert_eq!(billable(130, 60), 180);
        assert_eq!(billable(120, 60), 120);
        assert_eq!(billable(130, 30), 150);
        assert_eq!(billable(0, 60), 0);
    }

    #[test]
    fn spans_overlap_and_slack() {
        assert!(overlaps(t(9, 0), t(10, 0), &[(t(9, 30), t(11, 0))]));
        assert!(!overlaps(t(9, 0), t(10, 0), &[(t(10, 0), t(11, 0))]));
        assert_eq!(job_span(&[(t(9, 0), t(10, 0)), (t(9, 30), t(12, 0))]), 180);
        assert!(!far_outside((t(8, 30), t(12, 0)), (t(9, 0), t(11, 30))));
        assert!(far_outside((t(7, 0), t(12, 0)), (t(9, 0), t(11, 30))));
    }

    proptest! {
        #[test]
        fn billable_covers_and_is_whole_units(span in 0i64..2000, unit in prop::sample::select(vec![15i64, 30, 60])) {
            let b = billable(span, unit);
            prop_assert!(b >= span && b - span < unit.max(1) && b % unit == 0);
        }
    }
}

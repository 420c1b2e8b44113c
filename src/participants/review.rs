//! Progress reviews (pure): what a coach may write down after talking a participant's
//! progress through with them, and how their step on the participation ladder moved.
//!
//! The VNG participation ladder has six steps, from 'een geïsoleerd bestaan' (1) to
//! 'betaald werk' (6). Seeing the way up ('kansloos' at the start, 'allemaal plusjes'
//! now) gives participants confidence, so they read their own reviews in the app.

use chrono::NaiveDate;

use crate::error::{ApiError, Violations};

/// At most this many characters of summary.
pub const MAX_SUMMARY_CHARS: usize = 2000;

/// The steps of the VNG participation ladder, step 1 first.
pub const LADDER: [&str; 6] = [
    "geïsoleerd bestaan",
    "sociale contacten buiten de deur",
    "deelname aan georganiseerde activiteiten",
    "onbetaald werk",
    "betaald werk met ondersteuning",
    "betaald werk",
];

/// The name of ladder step `step` (1 to 6).
pub fn step_name(step: i32) -> &'static str {
    usize::try_from(step - 1)
        .ok()
        .and_then(|i| LADDER.get(i))
        .copied()
        .unwrap_or("")
}

/// A review is held at the start of a trajectory and then about once a month: this
/// many days after the last one the next is due.
pub const REVIEW_EVERY_DAYS: i64 = 31;

/// The day the next review of a trajectory that began on `starts_on` is due: its first
/// day while there was none, else [`REVIEW_EVERY_DAYS`] after the last.
pub fn next_due(starts_on: NaiveDate, last_held: Option<NaiveDate>) -> NaiveDate {
    last_held.map_or(starts_on, |last| last + chrono::Duration::days(REVIEW_EVERY_DAYS))
}

/// A review as the coach wrote it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub held_on: NaiveDate,
    pub ladder_step: i32,
    pub summary: String,
}

/// The days a review of a trajectory may be held: from its first day to its last (an
/// exit review is often written up after it), and never after today.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub today: NaiveDate,
}

/// Checks a review, reporting every field that is wrong at once.
pub fn draft(held_on: NaiveDate, ladder_step: i32, summary: &str, window: Window) -> Result<Draft, ApiError> {
    let mut v = Violations::new();
    if held_on < window.first_day {
        v.push(
            "held_on",
            "before_trajectory",
            "the trajectory had not started on that day",
        );
    } else if held_on > window.today {
        v.push("held_on", "in_future", "write the review down once it was held");
    } else if held_on > window.last_day {
        v.push("held_on", "after_trajectory", "the trajectory was over on that day");
    }
    if !(1..=6).contains(&ladder_step) {
        v.push(
            "ladder_step",
            "out_of_range",
            "a step of the participation ladder: 1 to 6",
        );
    }
    let summary = summary.trim();
    if summary.is_empty() {
        v.push("summary", "required", "write down what you talked through");
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        v.push("summary", "too_long", format!("at most {MAX_SUMMARY_CHARS} characters"));
    }
    v.into_result()?;
    Ok(Draft {
        held_on,
        ladder_step,
        summary: summary.to_owned(),
    })
}

/// For each of a participant's reviews (any order), how far their ladder step moved since
/// the review before it, over all their trajectories: `None` for the first.
pub fn changes(reviews: &[(i64, NaiveDate, i32)]) -> Vec<(i64, Option<i32>)> {
    let mut by_day: Vec<&(i64, NaiveDate, i32)> = reviews.iter().collect();
    by_day.sort_by_key(|(id, day, _)| (*day, *id));
    let mut before = None;
    by_day
        .into_iter()
        .map(|&(id, _, step)| {
            let change = before.map(|b| step - b);
            before = Some(step);
            (id, change)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    const WINDOW: Window = Window {
        first_day: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        last_day: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
    };

    fn fields(e: ApiError) -> Vec<(String, &'static str)> {
        let ApiError::Validation(errors) = e else {
            panic!("not a validation error");
        };
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_review_is_held_within_the_trajectory_and_not_ahead_of_today() {
        let ok = draft(day(2), 2, "  Komt op tijd  ", WINDOW).unwrap();
        assert_eq!((ok.ladder_step, ok.summary.as_str()), (2, "Komt op tijd"));
        assert!(draft(day(10), 6, "Vaste baan in het verschiet", WINDOW).is_ok());
        let at = |d| fields(draft(day(d), 3, "x", WINDOW).unwrap_err());
        assert_eq!(at(1), [("held_on".to_owned(), "before_trajectory")]);
        assert_eq!(at(11), [("held_on".to_owned(), "in_future")]);
        let over = Window {
            today: day(25),
            ..WINDOW
        };
        let late = draft(day(21), 3, "x", over).unwrap_err();
        assert_eq!(fields(late), [("held_on".to_owned(), "after_trajectory")]);
        assert!(draft(day(20), 3, "Afsluitend gesprek", over).is_ok());
    }

    #[test]
    fn the_step_and_the_summary_are_checked_together() {
        let both = draft(day(3), 7, " ", WINDOW).unwrap_err();
        let expected = [
            ("ladder_step".to_owned(), "out_of_range"),
            ("summary".to_owned(), "required"),
        ];
        assert_eq!(fields(both), expected);
        assert!(draft(day(3), 0, "x", WINDOW).is_err());
        let long = "é".repeat(MAX_SUMMARY_CHARS + 1);
        assert_eq!(
            fields(draft(day(3), 1, &long, WINDOW).unwrap_err()),
            [("summary".to_owned(), "too_long")]
        );
        assert!(draft(day(3), 1, &"é".repeat(MAX_SUMMARY_CHARS), WINDOW).is_ok());
    }

    #[test]
    fn the_first_review_is_due_at_the_start_and_the_next_a_month_after_the_last() {
        assert_eq!(next_due(day(2), None), day(2));
        assert_eq!(
            next_due(day(2), Some(day(5))),
            NaiveDate::from_ymd_opt(2026, 4, 5).unwrap()
        );
    }

    #[test]
    fn each_step_is_named_and_moves_are_counted_by_the_day_held() {
        assert_eq!(step_name(1), "geïsoleerd bestaan");
        assert_eq!(step_name(6), "betaald werk");
        assert_eq!(step_name(0), "");
        let reviews = [(9, day(20), 4), (3, day(1), 2), (5, day(10), 2), (7, day(10), 3)];
        let expected = [(3, None), (5, Some(0)), (7, Some(1)), (9, Some(1))];
        assert_eq!(changes(&reviews), expected);
    }
}

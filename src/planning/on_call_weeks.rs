//! The weekly on-call rota's days (pure rules): "every Tuesday morning until Easter",
//! without the days the servicepunt is closed.

use chrono::{Datelike, NaiveDate};

use super::closed_days::ClosedDay;
use super::on_call::MAX_DAYS_AHEAD;
use crate::error::{ApiError, Violations};

/// The days from `from` to `to` (inclusive) on `weekdays` (0 = Monday), to be set on
/// `today`: from today on, at most [`MAX_DAYS_AHEAD`] ahead, at least one day.
pub fn weekly(from: NaiveDate, to: NaiveDate, weekdays: &[u8], today: NaiveDate) -> Result<Vec<NaiveDate>, ApiError> {
    let mut v = Violations::new();
    if from < today {
        v.push("from", "date_in_past", "the on-call of a day gone by stays as it was");
    }
    if to < from {
        v.push("to", "invalid_period", "`to` is before `from`");
    } else if (to - today).num_days() > MAX_DAYS_AHEAD {
        v.push(
            "to",
            "too_far_ahead",
            format!("the rota reaches at most {MAX_DAYS_AHEAD} days ahead"),
        );
    }
    if weekdays.is_empty() {
        v.push(
            "weekdays",
            "required",
            "name at least one weekday, 0 (Monday) to 6 (Sunday)",
        );
    } else if weekdays.iter().any(|d| *d > 6) {
        v.push("weekdays", "invalid_weekday", "a weekday is 0 (Monday) to 6 (Sunday)");
    }
    v.into_result()?;
    let days: Vec<NaiveDate> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| weekdays.contains(&(d.weekday().num_days_from_monday() as u8)))
        .collect();
    if days.is_empty() {
        return Err(ApiError::validation(
            "weekdays",
            "no_days",
            "none of these weekdays lies between `from` and `to`",
        ));
    }
    Ok(days)
}

/// The rota's days split into those the servicepunt is open on and those `closed`; an
/// error when none is open.
pub fn open_days(days: Vec<NaiveDate>, closed: &[ClosedDay]) -> Result<(Vec<NaiveDate>, Vec<NaiveDate>), ApiError> {
    let (left_out, open): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.into_iter().partition(|d| closed.iter().any(|c| c.date == *d));
    if open.is_empty() {
        return Err(ApiError::validation(
            "weekdays",
            "all_days_closed",
            "the servicepunt is closed on every one of these days",
        ));
    }
    Ok((open, left_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_weekly_rota_takes_those_weekdays_from_today_up_to_a_year_ahead() {
        // 7 December 2026 is a Monday.
        let today = day(5);
        assert_eq!(
            weekly(day(5), day(17), &[0, 3], today).unwrap(),
            [day(7), day(10), day(14), day(17)]
        );
        let codes = |r: Result<Vec<NaiveDate>, ApiError>| match r {
            Err(ApiError::Validation(e)) => e.iter().map(|e| (e.field.clone(), e.code)).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let field = |f: &str, c: &'static str| (f.to_owned(), c);
        assert_eq!(
            codes(weekly(day(4), day(3), &[], today)),
            [
                field("from", "date_in_past"),
                field("to", "invalid_period"),
                field("weekdays", "required")
            ]
        );
        let far = today + chrono::Duration::days(MAX_DAYS_AHEAD + 1);
        assert_eq!(
            codes(weekly(day(5), far, &[7], today)),
            [field("to", "too_far_ahead"), field("weekdays", "invalid_weekday")]
        );
        assert_eq!(
            codes(weekly(day(7), day(8), &[4], today)),
            [field("weekdays", "no_days")]
        );
    }

    #[test]
    fn a_weekly_rota_leaves_out_the_closed_days_but_not_all_of_them() {
        let closed = |d: u32| ClosedDay {
            date: day(d),
            reason: "Kerst".into(),
        };
        let (open, left_out) = open_days(vec![day(18), day(25)], &[closed(25), closed(26)]).unwrap();
        assert_eq!((open, left_out), (vec![day(18)], vec![day(25)]));
        match open_days(vec![day(25)], &[closed(25)]) {
            Err(ApiError::Validation(e)) => {
                assert_eq!((e[0].field.as_str(), e[0].code), ("weekdays", "all_days_closed"))
            }
            other => panic!("{other:?}"),
        }
    }
}

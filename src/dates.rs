//! Dates and instants as the API takes them: ISO 8601 with a year from 1900 to 2199.
//!
//! chrono alone accepts years such as `+262142` or `-0001`. SQLite keeps dates as text,
//! and compares them as text, which is right only for four-digit years: a cheque
//! extended "until +262142-01-01" would sort before today and be expired by the next
//! expiry run. No date the servicepunt deals in lies outside these years, so a request
//! with one is refused as malformed (400), like `2026-02-30`.
//!
//! For `#[serde(deserialize_with = "crate::dates::in_range")]`, and for an `Option`
//! `#[serde(default, deserialize_with = "crate::dates::in_range_opt")]`.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::de::{Deserialize, Deserializer, Error};

pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// The last day any stored date can be: the open end of a range ("from today on") in a
/// query. Not `NaiveDate::MAX`, whose year `+262143` sorts before every four-digit year
/// as SQLite compares text, so such a range was empty there.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or_default()
}

/// The last day of a week that begins on `first`: six days on, at most [`last_day`]. The
/// period a screen gets when it names only its first day, or none.
pub fn week_from(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_days(chrono::Days::new(6))
        .unwrap_or(first)
        .min(last_day())
}

/// A date or an instant, by its calendar year.
pub trait Year {
    fn year_of(&self) -> i32;
}

impl Year for NaiveDate {
    fn year_of(&self) -> i32 {
        self.year()
    }
}

impl Year for DateTime<FixedOffset> {
    fn year_of(&self) -> i32 {
        // The year as written, before any conversion to UTC.
        self.year()
    }
}

fn check<T: Year, E: Error>(value: T) -> Result<T, E> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&value.year_of()) {
        Ok(value)
    } else {
        Err(E::custom(format!(
            "dates run from {FIRST_YEAR} to {LAST_YEAR}, not year {}",
            value.year_of()
        )))
    }
}

pub fn in_range<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Deserialize<'de> + Year,
    D: Deserializer<'de>,
{
    check(T::deserialize(deserializer)?)
}

pub fn in_range_opt<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: Deserialize<'de> + Year,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer)?.map(check).transpose()
}

/// For a date a PATCH may clear: `#[serde(default, deserialize_with =
/// "crate::dates::in_range_patch")]` on an `Option<Option<T>>` gives absent → `None`,
/// `null` → `Some(None)`, a date → `Some(Some(date))`.
pub fn in_range_patch<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de> + Year,
    D: Deserializer<'de>,
{
    in_range_opt(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Input {
        #[serde(deserialize_with = "in_range")]
        on: NaiveDate,
        #[serde(default, deserialize_with = "in_range_opt")]
        until: Option<NaiveDate>,
        #[serde(default, deserialize_with = "in_range_opt")]
        at: Option<DateTime<FixedOffset>>,
    }

    fn parse(json: &str) -> Result<Input, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn four_digit_years_in_range_pass() {
        let i = parse(r#"{"on": "1900-01-01", "until": "2199-12-31", "at": "2026-12-03T10:00:00+01:00"}"#).unwrap();
        assert_eq!(i.on, NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
        assert_eq!(i.until, NaiveDate::from_ymd_opt(2199, 12, 31));
        assert!(i.at.is_some());
        let absent = parse(r#"{"on": "2026-12-03"}"#).unwrap();
        assert_eq!((absent.until, absent.at), (None, None));
        let null = parse(r#"{"on": "2026-12-03", "until": null}"#).unwrap();
        assert_eq!(null.until, None);
    }

    #[test]
    fn years_chrono_takes_but_text_cannot_order_are_refused() {
        for json in [
            r#"{"on": "+262142-01-01"}"#,
            r#"{"on": "-0001-01-01"}"#,
            r#"{"on": "1899-12-31"}"#,
            r#"{"on": "2026-12-03", "until": "2200-01-01"}"#,
            r#"{"on": "2026-12-03", "at": "+262142-01-01T10:00:00Z"}"#,
        ] {
            let err = parse(json).unwrap_err();
            assert!(err.contains("dates run from 1900 to 2199"), "{json}: {err}");
        }
    }

    #[derive(Debug, Deserialize)]
    struct Change {
        #[serde(default, deserialize_with = "in_range_patch")]
        until: Option<Option<NaiveDate>>,
    }

    #[test]
    fn a_patch_tells_absent_from_cleared_and_checks_the_year() {
        let change = |json: &str| serde_json::from_str::<Change>(json).map(|c| c.until);
        assert_eq!(change("{}").unwrap(), None);
        assert_eq!(change(r#"{"until": null}"#).unwrap(), Some(None));
        assert_eq!(
            change(r#"{"until": "2027-01-31"}"#).unwrap(),
            Some(NaiveDate::from_ymd_opt(2027, 1, 31))
        );
        let err = change(r#"{"until": "2200-01-01"}"#).unwrap_err().to_string();
        assert!(err.contains("dates run from 1900 to 2199"), "{err}");
    }

    #[test]
    fn a_week_runs_six_days_on_and_stops_at_the_last_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(week_from(day(2026, 12, 28)), day(2027, 1, 3));
        assert_eq!(week_from(day(2199, 12, 28)), last_day());
    }
}

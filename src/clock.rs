//! Dates as the servicepunt lives them: in the Netherlands (Europe/Amsterdam).
//!
//! The offset rule is the EU's: summer time (UTC+2) from 01:00 UTC on the last Sunday of
//! March until 01:00 UTC on the last Sunday of October, UTC+1 otherwise. Written out here
//! rather than pulling in a time-zone database for one zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

/// The offset of Dutch local time from UTC at the instant `at`.
pub fn amsterdam_offset(at: DateTime<Utc>) -> Duration {
    let year = at.year();
    let switch = |month| {
        last_sunday(year, month)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| Utc.from_utc_datetime(&t))
    };
    match (switch(3), switch(10)) {
        (Some(start), Some(end)) if at >= start && at < end => Duration::hours(2),
        _ => Duration::hours(1),
    }
}

/// The Dutch wall-clock time at the instant `at`.
pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
    (at + amsterdam_offset(at)).naive_utc()
}

/// The Dutch calendar date at the instant `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    local(at).date()
}

/// The UTC instant (as stored) at which `date` begins in the Netherlands: midnight less
/// the offset in force at that moment (two hours in summer, one in winter).
pub fn local_midnight_utc(date: NaiveDate) -> chrono::NaiveDateTime {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    [Duration::hours(2), Duration::hours(1)]
        .into_iter()
        .map(|offset| midnight - offset)
        .find(|candidate| local_date(candidate.and_utc()) == date)
        .unwrap_or(midnight - Duration::hours(1))
}

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// Serialises a stored (UTC) time as RFC 3339 with its `Z`, so no client reads it as local
/// time. For `#[serde(serialize_with = "crate::clock::utc")]`.
pub fn utc<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// [`utc`] for an optional time.
pub fn utc_opt<S: serde::Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => utc(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter_offsets() {
        assert_eq!(amsterdam_offset(utc("2026-01-15T12:00:00Z")), Duration::hours(1));
        assert_eq!(amsterdam_offset(utc("2026-07-15T12:00:00Z")), Duration::hours(2));
        // 2026: summer time 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(amsterdam_offset(utc("2026-03-29T00:59:59Z")), Duration::hours(1));
        assert_eq!(amsterdam_offset(utc("2026-03-29T01:00:00Z")), Duration::hours(2));
        assert_eq!(amsterdam_offset(utc("2026-10-25T00:59:59Z")), Duration::hours(2));
        assert_eq!(amsterdam_offset(utc("2026-10-25T01:00:00Z")), Duration::hours(1));
    }

    #[test]
    fn local_midnight_is_where_the_local_date_begins() {
        for date in ["2026-01-15", "2026-03-29", "2026-07-01", "2026-10-25", "2026-12-31"] {
            let d: NaiveDate = date.parse().unwrap();
            let m = local_midnight_utc(d);
            assert_eq!(local_date(m.and_utc()), d, "{date}");
            assert_eq!(
                local_date((m - Duration::seconds(1)).and_utc()),
                d.pred_opt().unwrap(),
                "{date}"
            );
        }
    }

    #[test]
    fn local_date_turns_at_local_midnight() {
        assert_eq!(
            local_date(utc("2026-06-14T21:59:00Z")),
            NaiveDate::from_ymd_opt(2026, 6, 14).unwrap()
        );
        assert_eq!(
            local_date(utc("2026-06-14T22:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
        );
        assert_eq!(
            local_date(utc("2026-12-31T23:00:00Z")),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }
}

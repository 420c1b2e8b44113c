//! The certificate of conduct (VOG, *verklaring omtrent gedrag*), pure rules. Some
//! participants have a criminal or drug past, and at people's homes there is money and
//! there are things lying about. Where the servicepunt asks for a VOG (`vog_months` > 0),
//! nobody is cleared to go alone to people's homes (`solo_dienst`, `onboarder`) without
//! one issued in the last `vog_months` months. Only the day it was issued is kept, never
//! what it says.

use chrono::{Months, NaiveDate};

use super::clearance::Clearance;
use crate::error::{ApiError, Violations};

/// Whether clearance `to` sends someone alone to people's homes.
pub fn needs_vog(to: Clearance) -> bool {
    to >= Clearance::SoloDienst
}

/// How many days before someone's VOG stops counting their coach is told to ask for a
/// new one: Justis decides within four weeks, eight when it looks closer, and the
/// application has to be made first.
pub const RENEWAL_NOTICE_DAYS: i64 = 42;

/// The last day a VOG issued on `issued_on` counts for `months`.
pub fn valid_until(issued_on: NaiveDate, months: u32) -> Option<NaiveDate> {
    issued_on.checked_add_months(Months::new(months))
}

/// Whether a VOG issued on `issued_on` is recent enough on `today` for `months`.
pub fn recent(issued_on: Option<NaiveDate>, today: NaiveDate, months: u32) -> bool {
    issued_on
        .and_then(|on| valid_until(on, months))
        .is_some_and(|until| today <= until)
}

/// Whether someone cleared for `clearance` needs a new VOG soon: where one is asked for
/// (`months` > 0) and they go alone to people's homes, theirs is missing, has stopped
/// counting, or stops within [`RENEWAL_NOTICE_DAYS`].
pub fn renewal_due(issued_on: Option<NaiveDate>, clearance: Clearance, today: NaiveDate, months: u32) -> bool {
    months > 0
        && needs_vog(clearance)
        && !recent(issued_on, today + chrono::Duration::days(RENEWAL_NOTICE_DAYS), months)
}

/// Checks a profile's VOG date and, when `granting` a clearance, whether the VOG allows
/// it: a VOG issued in the future is refused, and with `months` > 0 a clearance to go
/// alone to people's homes needs a recent one.
pub fn check(
    issued_on: Option<NaiveDate>,
    granting: Option<Clearance>,
    today: NaiveDate,
    months: u32,
) -> Result<(), ApiError> {
    let mut v = Violations::new();
    if issued_on.is_some_and(|on| on > today) {
        v.push("vog_issued_on", "date_in_future", "a VOG cannot be issued after today");
    }
    if months > 0 && granting.is_some_and(needs_vog) && !recent(issued_on, today, months) {
        v.push(
            "clearance",
            "vog_required",
            format!("going alone to people's homes needs a VOG issued in the last {months} months"),
        );
    }
    v.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn codes(r: Result<(), ApiError>) -> Vec<&'static str> {
        match r {
            Ok(()) => vec![],
            Err(ApiError::Validation(errors)) => errors.iter().map(|e| e.code).collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_vog_is_recent_for_the_months_set_after_its_issue() {
        let today = day(2026, 12, 5);
        assert!(recent(Some(day(2023, 12, 5)), today, 36));
        assert!(!recent(Some(day(2023, 12, 4)), today, 36));
        assert!(!recent(None, today, 36));
    }

    #[test]
    fn going_alone_to_homes_needs_a_recent_vog_where_one_is_asked_for() {
        let today = day(2026, 12, 5);
        let old = Some(day(2020, 1, 1));
        assert_eq!(
            codes(check(None, Some(Clearance::SoloDienst), today, 36)),
            ["vog_required"]
        );
        assert_eq!(
            codes(check(old, Some(Clearance::Onboarder), today, 36)),
            ["vog_required"]
        );
        assert!(
            codes(check(None, Some(Clearance::SoloKlus), today, 36)).is_empty(),
            "klussen"
        );
        assert!(
            codes(check(None, Some(Clearance::SoloDienst), today, 0)).is_empty(),
            "not asked"
        );
        assert!(codes(check(Some(today), Some(Clearance::SoloDienst), today, 36)).is_empty());
        assert!(codes(check(old, None, today, 36)).is_empty(), "no clearance granted");
        let tomorrow = Some(day(2026, 12, 6));
        assert_eq!(codes(check(tomorrow, None, today, 0)), ["date_in_future"]);
    }

    #[test]
    fn a_vog_is_due_for_renewal_six_weeks_before_it_stops_counting() {
        let today = day(2026, 12, 5);
        let solo = Clearance::SoloDienst;
        // Issued 2024-01-16, it counts for 36 months, to 2027-01-16: 42 days on, so its
        // holder is told tomorrow; one a day older today.
        assert_eq!(valid_until(day(2024, 1, 16), 36), Some(day(2027, 1, 16)));
        assert!(!renewal_due(Some(day(2024, 1, 16)), solo, today, 36));
        assert!(renewal_due(Some(day(2024, 1, 16)), solo, day(2026, 12, 6), 36));
        assert!(renewal_due(Some(day(2024, 1, 15)), solo, today, 36));
        assert!(
            renewal_due(Some(day(2020, 1, 1)), Clearance::Onboarder, today, 36),
            "run out"
        );
        assert!(renewal_due(None, solo, today, 36), "none shown");
        assert!(!renewal_due(None, Clearance::SoloKlus, today, 36), "klussen in a group");
        assert!(!renewal_due(None, solo, today, 0), "not asked for");
    }
}

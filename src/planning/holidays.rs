//! The Dutch public holidays of a year (pure), offered to the werkleiders when they close
//! the servicepunt's days: which of them the servicepunt closes is theirs to decide (many
//! places stay open on Goede Vrijdag and, outside lustrum years, on Bevrijdingsdag), so
//! nothing is closed by itself.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Koningsdag's rule (27 April, or the 26th when the 27th is a Sunday) holds from 2014.
pub const FIRST_YEAR: i32 = 2014;
pub const LAST_YEAR: i32 = crate::dates::LAST_YEAR;

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of Meeus,
/// Jones and Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The public holidays of `year` in date order, with their Dutch names (two on one day,
/// as Bevrijdingsdag and Hemelvaartsdag in 2016, as one day with both names); none
/// outside [`FIRST_YEAR`] to [`LAST_YEAR`].
pub fn of_year(year: i32) -> Vec<(NaiveDate, String)> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Vec::new();
    }
    let (Some(easter), Some(koningsdag)) = (easter(year), NaiveDate::from_ymd_opt(year, 4, 27)) else {
        return Vec::new();
    };
    let koningsdag = if koningsdag.weekday() == Weekday::Sun {
        koningsdag - Duration::days(1)
    } else {
        koningsdag
    };
    let on = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let mut days: Vec<(NaiveDate, &'static str)> = [
        (on(1, 1), "Nieuwjaarsdag"),
        (Some(easter - Duration::days(2)), "Goede Vrijdag"),
        (Some(easter), "Eerste Paasdag"),
        (Some(easter + Duration::days(1)), "Tweede Paasdag"),
        (Some(koningsdag), "Koningsdag"),
        (on(5, 5), "Bevrijdingsdag"),
        (Some(easter + Duration::days(39)), "Hemelvaartsdag"),
        (Some(easter + Duration::days(49)), "Eerste Pinksterdag"),
        (Some(easter + Duration::days(50)), "Tweede Pinksterdag"),
        (on(12, 25), "Eerste Kerstdag"),
        (on(12, 26), "Tweede Kerstdag"),
    ]
    .into_iter()
    .filter_map(|(day, name)| day.map(|d| (d, name)))
    .collect();
    days.sort_by_key(|(day, _)| *day);
    let mut out: Vec<(NaiveDate, String)> = Vec::with_capacity(days.len());
    for (day, name) in days {
        match out.last_mut() {
            Some((last, names)) if *last == day => {
                names.push_str(", ");
                names.push_str(name);
            }
            _ => out.push((day, name.to_owned())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_falls_on_its_known_sundays() {
        for known in [
            "1913-03-23",
            "1943-04-25",
            "2008-03-23",
            "2019-04-21",
            "2024-03-31",
            "2025-04-20",
            "2026-04-05",
            "2027-03-28",
            "2038-04-25",
            "2100-03-28",
        ] {
            let d = day(known);
            assert_eq!(easter(d.year()), Some(d), "{known}");
        }
    }

    #[test]
    fn every_easter_is_a_sunday_between_22_march_and_25_april() {
        for year in crate::dates::FIRST_YEAR..=LAST_YEAR {
            let e = easter(year).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{e}");
            assert!(
                day(&format!("{year}-03-22")) <= e && e <= day(&format!("{year}-04-25")),
                "{e}"
            );
        }
    }

    #[test]
    fn the_holidays_of_2027() {
        let names: Vec<(String, String)> = of_year(2027).into_iter().map(|(d, n)| (d.to_string(), n)).collect();
        let expected = [
            ("2027-01-01", "Nieuwjaarsdag"),
            ("2027-03-26", "Goede Vrijdag"),
            ("2027-03-28", "Eerste Paasdag"),
            ("2027-03-29", "Tweede Paasdag"),
            ("2027-04-27", "Koningsdag"),
            ("2027-05-05", "Bevrijdingsdag"),
            ("2027-05-06", "Hemelvaartsdag"),
            ("2027-05-16", "Eerste Pinksterdag"),
            ("2027-05-17", "Tweede Pinksterdag"),
            ("2027-12-25", "Eerste Kerstdag"),
            ("2027-12-26", "Tweede Kerstdag"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(d, n)| ((*d).to_owned(), (*n).to_owned()))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn two_holidays_on_one_day_are_one_day() {
        let may_5 = of_year(2016)
            .into_iter()
            .filter(|(d, _)| *d == day("2016-05-05"))
            .collect::<Vec<_>>();
        assert_eq!(
            may_5,
            vec![(day("2016-05-05"), "Bevrijdingsdag, Hemelvaartsdag".to_owned())]
        );
        assert_eq!(of_year(2016).len(), 10);
    }

    #[test]
    fn koningsdag_moves_to_saturday_from_a_sunday_and_old_years_have_none() {
        // 27 April 2025 was a Sunday.
        assert!(of_year(2025).contains(&(day("2025-04-26"), "Koningsdag".to_owned())));
        assert!(of_year(2026).contains(&(day("2026-04-27"), "Koningsdag".to_owned())));
        assert!(of_year(FIRST_YEAR - 1).is_empty());
        assert!(of_year(LAST_YEAR + 1).is_empty());
    }
}

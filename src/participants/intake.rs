//! The intake roster of the Werkplein day (digest 4.7 #34). Each coach works one day a
//! week at the Werkplein, where the klantmanagers of the sociale dienst book intakes with
//! them on a roster at the counter. The coach opens times on a day; a booking names the
//! client referred and the klantmanager who booked. Pure rules, no I/O.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::error::{ApiError, Violations};

/// The length of one intake, in minutes.
pub const MIN_MINUTES: i64 = 15;
pub const MAX_MINUTES: i64 = 180;
/// Times opened at once.
pub const MAX_TIMES: usize = 16;
/// A start time as the contract declares it (Dutch time, `HH:MM`).
pub const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";
/// How far ahead a day may be opened.
pub const MAX_DAYS_AHEAD: i64 = 366;
/// The longest period the roster is read for at once.
pub const MAX_PERIOD_DAYS: i64 = 92;
/// A day's slots are deleted this long after it: long enough to talk about who did not
/// come at the next week's meeting, no longer.
pub const KEPT_DAYS_AFTER: i64 = 28;
const MAX_NAME_CHARS: usize = 100;
const MAX_NOTE_CHARS: usize = 500;

fn at(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default()
}

/// The working day at the Werkplein: intakes start from 07:00 and end by 21:00.
fn day_bounds() -> (NaiveTime, NaiveTime) {
    (at(7), at(21))
}

/// Whether two slots on one day, each a start and minutes, share any minute.
pub fn overlaps(a: (NaiveTime, i64), b: (NaiveTime, i64)) -> bool {
    let end = |(start, minutes): (NaiveTime, i64)| start + Duration::minutes(minutes);
    a.0 < end(b) && b.0 < end(a)
}

/// Times checked for opening on a day: sorted, each inside the working day and after
/// `now` (Dutch time), none overlapping another; every wrong field at once.
pub fn opening(
    on: NaiveDate,
    times: &[NaiveTime],
    minutes: i64,
    now: NaiveDateTime,
) -> Result<Vec<NaiveTime>, ApiError> {
    let mut v = Violations::new();
    let today = now.date();
    if on < today {
        v.push("on", "in_past", "open times from today on");
    } else if on > today + Duration::days(MAX_DAYS_AHEAD) {
        v.push("on", "too_far_ahead", format!("at most {MAX_DAYS_AHEAD} days ahead"));
    }
    let length_ok = (MIN_MINUTES..=MAX_MINUTES).contains(&minutes);
    if !length_ok {
        v.push(
            "minutes",
            "out_of_range",
            format!("an intake takes {MIN_MINUTES} to {MAX_MINUTES} minutes"),
        );
    }
    if times.is_empty() {
        v.push("times", "required", "give the times intakes can start");
    } else if times.len() > MAX_TIMES {
        v.push("times", "too_many", format!("at most {MAX_TIMES} times at once"));
    }
    let (opens, closes) = day_bounds();
    for (i, t) in times.iter().enumerate() {
        let field = format!("times[{i}]");
        if t.second() != 0 || t.nanosecond() != 0 {
            v.push(&field, "whole_minutes", "a time in hours and minutes, HH:MM");
        } else if *t < opens || (length_ok && *t + Duration::minutes(minutes) > closes) || *t >= closes {
            v.push(&field, "outside_day", "intakes start from 07:00 and end by 21:00");
        } else if on == today && *t <= now.time() {
            v.push(&field, "in_past", "this time has passed");
        }
    }
    let mut sorted = times.to_vec();
    sorted.sort();
    if length_ok && let Some(pair) = sorted.windows(2).find(|p| overlaps((p[0], minutes), (p[1], minutes))) {
        v.push(
            "times",
            "overlapping",
            format!(
                "intakes of {minutes} minutes at {} and {} overlap",
                pair[0].format("%H:%M"),
                pair[1].format("%H:%M")
            ),
        );
    }
    v.into_result()?;
    Ok(sorted)
}

/// A booking as written on the roster, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub client_name: String,
    pub case_manager: String,
    pub note: Option<String>,
    /// Whether the client came, once written down.
    pub came: Option<bool>,
}

/// Checks a booking: who is coming and which klantmanager booked them, both needed, and
/// an optional note; every wrong field at once.
pub fn booking(client_name: &str, case_manager: &str, note: Option<&str>) -> Result<Booking, ApiError> {
    let mut v = Violations::new();
    let client_name = v.text(
        "client_name",
        client_name,
        Some("who is coming to the intake"),
        MAX_NAME_CHARS,
    );
    let case_manager = v.text(
        "case_manager",
        case_manager,
        Some("which klantmanager booked it"),
        MAX_NAME_CHARS,
    );
    let note = note.and_then(|n| v.text("note", n, None, MAX_NOTE_CHARS));
    v.into_result()?;
    Ok(Booking {
        client_name: client_name.unwrap_or_default(),
        case_manager: case_manager.unwrap_or_default(),
        note,
        came: None,
    })
}

/// A slot that has begun is what happened: it is no longer booked, cancelled or removed.
pub fn not_begun(on: NaiveDate, from: NaiveTime, now: NaiveDateTime) -> Result<(), ApiError> {
    if on.and_time(from) <= now {
        Err(ApiError::conflict("slot_past", "this intake time has begun or passed"))
    } else {
        Ok(())
    }
}

/// Whether the client came is written down once the intake has begun, not before.
pub fn begun(on: NaiveDate, from: NaiveTime, now: NaiveDateTime) -> Result<(), ApiError> {
    if on.and_time(from) <= now {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "slot_not_begun",
            "write down whether the client came once the intake has begun",
        ))
    }
}

/// One line of the roster to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterLine {
    pub on: NaiveDate,
    pub from: NaiveTime,
    pub minutes: i64,
    pub coach: String,
    /// `None`: free. `Some(None)`: booked, with names the reader may not see.
    pub booking: Option<Option<Booking>>,
}

pub const ROSTER_HEADER: [&str; 8] = [
    "datum",
    "tijd",
    "minuten",
    "trajectbegeleider",
    "cliënt",
    "klantmanager",
    "opmerking",
    "verschenen",
];

/// The roster as CSV (in Dutch), to lay on the counter: free times left blank to write
/// in, colleagues' bookings as `bezet`; for the weekly meeting, whether the client came
/// (`ja`, `nee`, blank until written down).
pub fn roster_csv(lines: &[RosterLine]) -> String {
    let mut body = crate::csv::line(&ROSTER_HEADER.map(String::from));
    for l in lines {
        let (client, case_manager, note, came) = match &l.booking {
            None => Default::default(),
            Some(None) => ("bezet".to_owned(), String::new(), String::new(), String::new()),
            Some(Some(b)) => (
                b.client_name.clone(),
                b.case_manager.clone(),
                b.note.clone().unwrap_or_default(),
                b.came
                    .map(|c| if c { "ja" } else { "nee" })
                    .unwrap_or_default()
                    .to_owned(),
            ),
        };
        body.push_str(&crate::csv::line(&[
            l.on.to_string(),
            l.from.format("%H:%M").to_string(),
            l.minutes.to_string(),
            l.coach.clone(),
            client,
            case_manager,
            note,
            came,
        ]));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn now() -> NaiveDateTime {
        day(7).and_time(t(10, 0))
    }

    fn fields(e: ApiError) -> Vec<(String, &'static str)> {
        let ApiError::Validation(errors) = e else {
            panic!("not a validation error");
        };
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn slots_that_share_a_minute_overlap_and_touching_ones_do_not() {
        assert!(overlaps((t(9, 0), 45), (t(9, 30), 45)));
        assert!(overlaps((t(9, 30), 45), (t(9, 0), 45)));
        assert!(overlaps((t(9, 0), 120), (t(9, 30), 15)), "one inside the other");
        assert!(!overlaps((t(9, 0), 45), (t(9, 45), 45)));
        assert!(!overlaps((t(9, 45), 45), (t(9, 0), 45)));
    }

    #[test]
    fn a_day_opens_with_its_times_sorted() {
        let times = [t(11, 0), t(9, 0), t(10, 0)];
        assert_eq!(
            opening(day(9), &times, 60, now()).unwrap(),
            [t(9, 0), t(10, 0), t(11, 0)]
        );
        assert_eq!(
            opening(day(7), &[t(10, 15)], 60, now()).unwrap(),
            [t(10, 15)],
            "today, later on"
        );
        assert_eq!(
            opening(day(9), &[t(7, 0), t(20, 0)], 60, now()).unwrap(),
            [t(7, 0), t(20, 0)],
            "from 07:00 to 21:00 exactly"
        );
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let e = opening(
            day(6),
            &[t(6, 30), t(20, 30), NaiveTime::from_hms_opt(9, 0, 30).unwrap()],
            200,
            now(),
        )
        .unwrap_err();
        assert_eq!(
            fields(e),
            [
                ("on".into(), "in_past"),
                ("minutes".into(), "out_of_range"),
                ("times[0]".into(), "outside_day"),
                ("times[2]".into(), "whole_minutes"),
            ],
            "20:30 is only wrong for a length that fits no day"
        );
        let e = opening(day(7), &[t(9, 0), t(10, 0), t(20, 30)], 45, now()).unwrap_err();
        assert_eq!(
            fields(e),
            [
                ("times[0]".into(), "in_past"),
                ("times[1]".into(), "in_past"),
                ("times[2]".into(), "outside_day"),
            ]
        );
        assert_eq!(
            fields(opening(day(7) + Duration::days(400), &[], 45, now()).unwrap_err()),
            [("on".into(), "too_far_ahead"), ("times".into(), "required")]
        );
        let many: Vec<NaiveTime> = (0..17).map(|i| t(7, 0) + Duration::minutes(30 * i)).collect();
        assert_eq!(
            fields(opening(day(9), &many, 30, now()).unwrap_err()),
            [("times".into(), "too_many")]
        );
    }

    #[test]
    fn overlapping_or_repeated_times_are_refused() {
        for times in [[t(9, 0), t(9, 30)], [t(9, 0), t(9, 0)]] {
            assert_eq!(
                fields(opening(day(9), &times, 45, now()).unwrap_err()),
                [("times".into(), "overlapping")]
            );
        }
    }

    #[test]
    fn a_booking_needs_the_client_and_the_klantmanager() {
        assert_eq!(
            booking(" Piet Jansen ", "Mw. De Vries", Some("  ")).unwrap(),
            Booking {
                client_name: "Piet Jansen".into(),
                case_manager: "Mw. De Vries".into(),
                note: None,
                came: None,
            }
        );
        assert_eq!(
            fields(booking(" ", "", Some(&"x".repeat(501))).unwrap_err()),
            [
                ("client_name".into(), "required"),
                ("case_manager".into(), "required"),
                ("note".into(), "too_long"),
            ]
        );
    }

    #[test]
    fn a_slot_that_has_begun_is_left_as_it_was() {
        assert!(not_begun(day(7), t(10, 1), now()).is_ok());
        assert_eq!(not_begun(day(7), t(10, 0), now()).unwrap_err().code(), "slot_past");
        assert_eq!(not_begun(day(6), t(15, 0), now()).unwrap_err().code(), "slot_past");
    }

    #[test]
    fn whether_the_client_came_is_written_down_from_the_start_of_the_intake() {
        assert!(begun(day(7), t(10, 0), now()).is_ok());
        assert!(begun(day(6), t(15, 0), now()).is_ok());
        assert_eq!(begun(day(7), t(10, 1), now()).unwrap_err().code(), "slot_not_begun");
    }

    #[test]
    fn the_printed_roster_leaves_free_times_blank_and_hides_colleagues_names() {
        let line = |booking| RosterLine {
            on: day(9),
            from: t(9, 0),
            minutes: 45,
            coach: "Karin".into(),
            booking,
        };
        let csv = roster_csv(&[
            line(None),
            line(Some(None)),
            line(Some(Some(Booking {
                client_name: "Piet".into(),
                case_manager: "Mw. De Vries".into(),
                note: Some("met tolk".into()),
                came: None,
            }))),
            line(Some(Some(Booking {
                client_name: "Kees".into(),
                case_manager: "Dhr. Bos".into(),
                note: None,
                came: Some(false),
            }))),
        ]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 5);
        assert!(lines[0].ends_with("verschenen"), "{csv}");
        assert!(lines[3].ends_with("met tolk,"), "not written down yet: {csv}");
        assert!(lines[4].ends_with(",nee"), "{csv}");
        assert!(lines[0].starts_with("datum"), "{csv}");
        assert!(lines[1].starts_with("2026-12-09"), "{csv}");
        assert!(lines[1].contains("09:00"), "{csv}");
        assert!(!lines[1].contains("bezet"), "{csv}");
        assert!(lines[2].contains("bezet"), "{csv}");
        assert!(lines[3].contains("Piet") && lines[3].contains("met tolk"), "{csv}");
    }

    proptest::proptest! {
        #[test]
        fn whatever_the_time_pattern_allows_is_a_time(s in crate::domain::matching(TIME_PATTERN)) {
            let parsed = serde_json::from_value::<NaiveTime>(serde_json::json!(s));
            proptest::prop_assert_eq!(parsed.map(|t| t.format("%H:%M").to_string()).ok(), Some(s));
        }
    }
}

//! Dates as people read them in a letter (pure): `maandag 7 december 2026`, `Monday 7
//! December 2026`, not `2026-12-07`. Messages carry their dates as ISO strings (as stored,
//! and so the outbox keeps one form); every one of them is spelled out in the message's
//! language just before it is rendered, wherever it sits in the data.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::domain::Language;

/// The weekdays in Dutch, Monday first (also for notices that name a weekday alone).
pub const DAGEN: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
/// The weekdays in English, Monday first.
pub const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// The months in Dutch (also for statements that name a month alone).
pub const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
/// The months in English.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The weekday, day, month and year of `date` in `language`.
pub fn spelled_out(date: NaiveDate, language: Language) -> String {
    let weekday = date.weekday().num_days_from_monday() as usize;
    let month = date.month0() as usize;
    let (days, months) = match language {
        Language::Nl => (DAGEN, MAANDEN),
        Language::En => (DAYS, MONTHS),
    };
    format!("{} {} {} {}", days[weekday], date.day(), months[month], date.year())
}

/// `data` with every string that is a date and nothing else (`2026-12-07`) spelled out.
pub fn spell_dates(data: &Value, language: Language) -> Value {
    match data {
        Value::String(s) => match iso_date(s) {
            Some(date) => Value::String(spelled_out(date, language)),
            None => data.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| spell_dates(v, language)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), spell_dates(v, language))).collect()),
        other => other.clone(),
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    let shaped = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    shaped.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_date_reads_as_in_a_letter() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(spelled_out(day, Language::Nl), "maandag 7 december 2026");
        assert_eq!(spelled_out(day, Language::En), "Monday 7 December 2026");
        let sunday = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert_eq!(spelled_out(sunday, Language::Nl), "zondag 31 januari 2027");
    }

    #[test]
    fn only_dates_are_spelled_out_wherever_they_are() {
        let data = json!({
            "date": "2026-05-04",
            "items": [{"date": "2026-05-05", "from": "09:00", "job_id": 7}],
            "link": "https://servicepunt.example/planning?date=2026-05-04",
            "serial": "SVW-S5CQ-X7CQ-X",
            "not_a_day": "2026-13-40",
            "count": 2,
        });
        let spelled = spell_dates(&data, Language::Nl);
        assert_eq!(spelled["date"], "maandag 4 mei 2026");
        assert_eq!(spelled["items"][0]["date"], "dinsdag 5 mei 2026");
        assert_eq!(spelled["items"][0]["from"], "09:00");
        assert_eq!(spelled["link"], data["link"]);
        assert_eq!(spelled["serial"], data["serial"]);
        assert_eq!(spelled["not_a_day"], "2026-13-40");
        assert_eq!(spelled["count"], 2);
    }
}

//! The order body and its parsing.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::model::PreferredWindow;
use crate::domain::ShortText;
use crate::error::{ApiError, Violations};
use crate::residents::input::AddressInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    App,
    Phone,
    Counter,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::App => "app",
            Channel::Phone => "phone",
            Channel::Counter => "counter",
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub service_id: i64,
    /// The resident the work is for. Leave out to order for yourself; a proxy names the
    /// resident they act for; staff always name one.
    pub recipient_id: Option<i64>,
    /// How the order came in (staff only; a resident's own order is `app`).
    pub channel: Option<Channel>,
    #[schema(
        min_length = 1,
        pattern = r"\S",
        max_length = 2000,
        example = "De heg langs het tuinpad knippen, ongeveer 15 meter."
    )]
    pub description: String,
    /// Defaults to the resident's address.
    pub address: Option<AddressInput>,
    #[serde(default)]
    pub preferred_windows: Vec<PreferredWindow>,
    /// Defaults to the service's usual duration.
    pub estimated_minutes: Option<i64>,
    #[schema(schema_with = declaration)]
    pub otherwise_not_done: bool,
    /// Staff only: the institution (care home, housing corporation) that pays for this job
    /// by invoice instead of the resident with cheques.
    pub institution_id: Option<i64>,
    /// Set by a recurring series for each of its visits, never by a request: the visit is
    /// accepted without a mail (it is news once planned).
    #[serde(skip)]
    pub series_visit: bool,
}

pub const MAX_WINDOWS: usize = 10;

/// The contract of the `otherwise_not_done` declaration: `true`, the one value [`check`]
/// takes (utoipa's derive has no way to say so). Any boolean still parses, so `false`
/// gets its own 422 `declaration_required` rather than a malformed body.
pub fn declaration() -> utoipa::openapi::schema::Object {
    crate::schema_forms::must_be_true(
        "Must be true: the work would otherwise not be done, or not be given to a business.",
    )
}

/// An optional free-text reason or note: trimmed, blank means absent, at most 1000 characters.
pub fn optional_note(raw: Option<String>, field: &str) -> Result<Option<String>, ApiError> {
    let note = raw.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(ApiError::validation(field, "too_long", "at most 1000 characters"));
    }
    Ok(note)
}

/// A note that must be given: trimmed, not empty (`hint` says what to write), at most
/// 1000 characters.
pub fn required_note(raw: String, field: &str, hint: &str) -> Result<String, ApiError> {
    optional_note(Some(raw), field)?.ok_or_else(|| ApiError::validation(field, "required", hint))
}

/// Checks the fields that need no database.
pub fn check(input: &OrderInput, today: NaiveDate) -> Result<String, ApiError> {
    let mut v = Violations::new();
    let description = ShortText::parse(&input.description, 2000);
    v.note("description", &description);
    if !input.otherwise_not_done {
        v.push(
            "otherwise_not_done",
            "declaration_required",
            "the service is only for work that would otherwise not be done or given to a business",
        );
    }
    check_windows(&input.preferred_windows, today, &mut v);
    v.into_result()?;
    Ok(description?.into_inner())
}

/// Preferred windows: at most [`MAX_WINDOWS`], none in the past, each a dagdeel or a time
/// range.
fn check_windows(windows: &[PreferredWindow], today: NaiveDate, v: &mut Violations) {
    if windows.len() > MAX_WINDOWS {
        v.push(
            "preferred_windows",
            "too_many",
            format!("at most {MAX_WINDOWS} windows"),
        );
    }
    for (i, w) in windows.iter().enumerate() {
        let field = format!("preferred_windows[{i}]");
        if w.date < today {
            v.push(&field, "date_in_past", "a preferred date cannot be in the past");
        }
        match (w.dagdeel, w.from, w.until) {
            (Some(_), None, None) => {}
            (None, Some(from), Some(until)) if from < until => {}
            (None, Some(_), Some(_)) => v.push(&field, "window_reversed", "from must be before until"),
            _ => v.push(&field, "invalid_window", "give either a dagdeel or both from and until"),
        }
    }
}

/// Changes to an order; what is left out stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobChange {
    /// What is to be done. Until the work starts: the crew's schedule shows it.
    #[schema(min_length = 1, pattern = r"\S", max_length = 2000)]
    pub description: Option<String>,
    /// Replace the preferred windows (an empty list removes them). Only until the job is
    /// planned: after that the werkleider moves it.
    pub preferred_windows: Option<Vec<PreferredWindow>>,
}

/// A [`JobChange`] whose fields passed the checks that need no database.
#[derive(Debug, Clone, Default)]
pub struct CheckedChange {
    pub description: Option<String>,
    pub preferred_windows: Option<Vec<PreferredWindow>>,
}

pub fn check_change(change: JobChange, today: NaiveDate) -> Result<CheckedChange, ApiError> {
    let mut v = Violations::new();
    let description = change.description.as_deref().map(|d| ShortText::parse(d, 2000));
    if let Some(d) = &description {
        v.note("description", d);
    }
    if let Some(windows) = &change.preferred_windows {
        check_windows(windows, today, &mut v);
    }
    if description.is_none() && change.preferred_windows.is_none() {
        v.push(
            "description",
            "nothing_to_change",
            "give a description or preferred_windows",
        );
    }
    v.into_result()?;
    Ok(CheckedChange {
        description: description.transpose()?.map(ShortText::into_inner),
        preferred_windows: change.preferred_windows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    fn order(windows: serde_json::Value) -> OrderInput {
        serde_json::from_value(json!({
            "service_id": 1, "description": "Heg knippen", "otherwise_not_done": true, "preferred_windows": windows
        }))
        .unwrap()
    }

    #[test]
    fn windows_are_a_dagdeel_or_a_time_range() {
        assert!(check(&order(json!([{"date": "2026-05-02", "dagdeel": "morning"}])), today()).is_ok());
        assert!(
            check(
                &order(json!([{"date": "2026-05-02", "from": "09:00", "until": "11:30"}])),
                today()
            )
            .is_ok()
        );
        for bad in [
            json!([{"date": "2026-04-30", "dagdeel": "morning"}]),
            json!([{"date": "2026-05-02"}]),
            json!([{"date": "2026-05-02", "dagdeel": "evening", "from": "09:00", "until": "10:00"}]),
            json!([{"date": "2026-05-02", "from": "11:00", "until": "10:00"}]),
        ] {
            assert!(check(&order(bad.clone()), today()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_declaration_is_required() {
        let mut o = order(json!([]));
        o.otherwise_not_done = false;
        let Err(ApiError::Validation(errors)) = check(&o, today()) else {
            panic!()
        };
        assert_eq!(errors[0].code, "declaration_required");
    }
}

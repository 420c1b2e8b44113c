//! A staff member put on call by someone else, or taken off, hears it: they are the one
//! the crews will phone.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

use super::on_call::{self, OnDuty};
use crate::auth::store as users;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::model::Dagdeel;
use crate::notify::{Template, staff_mail};

/// Mails whoever else came on or went off call on `date` when some of its shifts went
/// from their `before` to `after` by the hand of `by`: once each, naming their dagdelen.
/// Returns how many were told.
pub fn tell(
    conn: &mut DbConn,
    date: NaiveDate,
    before: &[(Dagdeel, Option<OnDuty>)],
    after: Option<&OnDuty>,
    by: i64,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let changes = on_call::to_tell(before, after, by)
        .into_iter()
        .map(|(user, on, dagdelen)| (user, on, day_shifts(date, &dagdelen)))
        .collect();
    send(conn, Template::OnCallChanged, changes, after, by, now)
}

/// Mails whoever else came on or went off call over several days (a weekly rota set by
/// `by`): one mail each, listing the days and their dagdelen. Returns how many were told.
pub fn tell_days(
    conn: &mut DbConn,
    days: &[on_call::DayBefore],
    after: Option<&OnDuty>,
    by: i64,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let changes = on_call::to_tell_days(days, after, by)
        .into_iter()
        .map(|(user, on, of_days)| {
            let days: Vec<Value> = of_days
                .iter()
                .map(|(date, dagdelen)| day_shifts(*date, dagdelen))
                .collect();
            (user, on, json!({"days": days}))
        })
        .collect();
    send(conn, Template::OnCallWeeks, changes, after, by, now)
}

/// Some dagdelen as a mail names them: `{"nl": "ochtend en avond", "en": …}`.
pub(super) fn dagdelen_words(dagdelen: &[Dagdeel]) -> Value {
    let (nl, en) = on_call::dagdelen_words(dagdelen);
    json!({"nl": nl, "en": en})
}

/// A day and some of its dagdelen as a mail names them.
fn day_shifts(date: NaiveDate, dagdelen: &[Dagdeel]) -> Value {
    json!({"date": date.to_string(), "dagdelen": dagdelen_words(dagdelen)})
}

/// Sends `template` to each staff member still active in `changes` (who, whether on call
/// now, what the mail says of when), with their name, who made the change and the number
/// answered now.
fn send(
    conn: &mut DbConn,
    template: Template,
    changes: Vec<(i64, bool, Value)>,
    after: Option<&OnDuty>,
    by: i64,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    if changes.is_empty() {
        return Ok(0);
    }
    let by_name = users::find_user(conn, by)?.map(|u| u.name).unwrap_or_default();
    let phone = after.map(|(_, phone)| phone.as_str()).unwrap_or_default();
    let mut told = 0;
    for (user, on, mut data) in changes {
        let Some(staff) = users::find_user(conn, user)?.filter(|u| u.active) else {
            continue;
        };
        data["name"] = json!(staff.name);
        data["on"] = json!(on);
        data["phone"] = json!(phone);
        data["by"] = json!(by_name);
        staff_mail::to_user(conn, &staff, template, &data, now)?;
        told += 1;
    }
    Ok(told)
}

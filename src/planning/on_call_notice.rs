//! A staff member put on call by someone else, or taken off, hears it: they are the one
//! the crews will phone.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

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
    let changes = on_call::to_tell(before, after, by);
    if changes.is_empty() {
        return Ok(0);
    }
    let by_name = users::find_user(conn, by)?.map(|u| u.name).unwrap_or_default();
    let phone = after.map(|(_, phone)| phone.as_str()).unwrap_or_default();
    let mut told = 0;
    for (user, on, dagdelen) in changes {
        let Some(staff) = users::find_user(conn, user)?.filter(|u| u.active) else {
            continue;
        };
        let (nl, en) = on_call::dagdelen_words(&dagdelen);
        let data = json!({"name": staff.name, "date": date.to_string(), "on": on, "phone": phone, "by": by_name,
            "dagdelen": {"nl": nl, "en": en}});
        staff_mail::to_user(conn, &staff, Template::OnCallChanged, &data, now)?;
        told += 1;
    }
    Ok(told)
}

//! A preferred window on a day the servicepunt is closed cannot be met: nobody is sent
//! out that day. An order, or a change of its windows, naming such a day is refused at
//! once with the day's reason, so the resident picks another day instead of waiting for
//! a visit nobody can plan. A series' visits are not checked here: the werkleiders plan
//! a visit that falls on a closed day on another day.

use super::model::PreferredWindow;
use crate::db::DbConn;
use crate::error::{ApiError, Violations};
use crate::planning::closed_days;

/// Refuses (422, `service_point_closed` at `preferred_windows[i]`) windows on closed days.
pub fn refuse_closed(conn: &mut DbConn, windows: &[PreferredWindow]) -> Result<(), ApiError> {
    let (Some(from), Some(to)) = (
        windows.iter().map(|w| w.date).min(),
        windows.iter().map(|w| w.date).max(),
    ) else {
        return Ok(());
    };
    let closed = closed_days::between(conn, from, to)?;
    let mut v = Violations::new();
    for (i, w) in windows.iter().enumerate() {
        if let Some(reason) = closed_days::reason_on(&closed, w.date) {
            v.push(
                &format!("preferred_windows[{i}]"),
                "service_point_closed",
                format!("the servicepunt is closed on {} ({reason}); choose another day", w.date),
            );
        }
    }
    v.into_result()
}

//! Attendance: the werkleider records the morning check-in at the servicepunt and
//! no-shows. Only the participant's own coach reads them back; nothing goes to the
//! municipality automatically.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::attendance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Present,
    NoShow,
    Excused,
}

impl AttendanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::NoShow => "no_show",
            AttendanceStatus::Excused => "excused",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = attendance)]
pub struct AttendanceRow {
    pub id: i64,
    pub participant_id: i64,
    pub on_date: NaiveDate,
    /// `present`, `no_show` or `excused`.
    pub status: String,
    pub note: Option<String>,
    pub recorded_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub at: NaiveDateTime,
}

/// Records the day's attendance, replacing an earlier record for that day.
pub fn record(
    conn: &mut DbConn,
    participant_id: i64,
    on: NaiveDate,
    status: AttendanceStatus,
    note: Option<&str>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<AttendanceRow> {
    diesel::delete(
        attendance::table
            .filter(attendance::participant_id.eq(participant_id))
            .filter(attendance::on_date.eq(on)),
    )
    .execute(conn)?;
    diesel::insert_into(attendance::table)
        .values((
            attendance::participant_id.eq(participant_id),
            attendance::on_date.eq(on),
            attendance::status.eq(status.as_str()),
            attendance::note.eq(note),
            attendance::recorded_by.eq(by),
            attendance::at.eq(now),
        ))
        .returning(attendance::all_columns)
        .get_result(conn)
}

pub fn of_participant(conn: &mut DbConn, participant_id: i64) -> QueryResult<Vec<AttendanceRow>> {
    attendance::table
        .filter(attendance::participant_id.eq(participant_id))
        .order(attendance::on_date.desc())
        .select(AttendanceRow::as_select())
        .load(conn)
}

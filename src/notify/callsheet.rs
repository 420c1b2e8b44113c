//! The call sheet: messages for residents without email, phoned by the servicepunt.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Template;
use crate::db::DbConn;
use crate::db::schema::{call_tasks, residents};
use crate::domain::Language;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = call_tasks)]
pub struct CallTaskRow {
    pub id: i64,
    pub resident_id: i64,
    pub due_on: NaiveDate,
    pub language: String,
    pub template: String,
    pub data: String,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
    pub done_by: Option<i64>,
    pub note: Option<String>,
}

pub fn add(
    conn: &mut DbConn,
    resident_id: i64,
    due_on: NaiveDate,
    language: Language,
    template: Template,
    data: &serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(call_tasks::table)
        .values((
            call_tasks::resident_id.eq(resident_id),
            call_tasks::due_on.eq(due_on),
            call_tasks::language.eq(language.as_str()),
            call_tasks::template.eq(template.name()),
            call_tasks::data.eq(data.to_string()),
            call_tasks::created_at.eq(now),
        ))
        .returning(call_tasks::id)
        .get_result(conn)
}

/// The tasks for `date`, and older ones still open, with the resident's name and phone.
pub fn for_date(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Vec<(CallTaskRow, String, Option<String>)>> {
    call_tasks::table
        .inner_join(residents::table)
        .filter(
            call_tasks::due_on
                .eq(date)
                .or(call_tasks::due_on.lt(date).and(call_tasks::done_at.is_null())),
        )
        .order((call_tasks::due_on.asc(), call_tasks::id.asc()))
        .select((CallTaskRow::as_select(), residents::name, residents::phone))
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<CallTaskRow>> {
    call_tasks::table
        .find(id)
        .select(CallTaskRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a task done if it was open; returns whether this call did.
pub fn mark_done(conn: &mut DbConn, id: i64, by: i64, note: Option<&str>, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        call_tasks::table
            .filter(call_tasks::id.eq(id))
            .filter(call_tasks::done_at.is_null()),
    )
    .set((
        call_tasks::done_at.eq(now),
        call_tasks::done_by.eq(by),
        call_tasks::note.eq(note),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

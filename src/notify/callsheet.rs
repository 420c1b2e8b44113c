//! The call sheet: messages for residents without email, phoned by the servicepunt.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Template;
use crate::db::DbConn;
use crate::db::schema::{call_tasks, residents};
use crate::domain::Language;
use crate::error::ApiError;

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

/// Puts a message on the sheet. A message about a job (`data.job_id`) takes the place of
/// the job's messages still to be told: the resident hears how things stand now.
pub fn add(
    conn: &mut DbConn,
    resident_id: i64,
    due_on: NaiveDate,
    language: Language,
    template: Template,
    data: &serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let job_id = data.get("job_id").and_then(serde_json::Value::as_i64);
    let id = diesel::insert_into(call_tasks::table)
        .values((
            call_tasks::resident_id.eq(resident_id),
            call_tasks::due_on.eq(due_on),
            call_tasks::language.eq(language.as_str()),
            call_tasks::template.eq(template.name()),
            call_tasks::data.eq(data.to_string()),
            call_tasks::created_at.eq(now),
            call_tasks::job_id.eq(job_id),
        ))
        .returning(call_tasks::id)
        .get_result(conn)?;
    if let Some(job_id) = job_id {
        diesel::update(
            call_tasks::table
                .filter(call_tasks::job_id.eq(job_id))
                .filter(call_tasks::id.ne(id))
                .filter(call_tasks::done_at.is_null())
                .filter(call_tasks::superseded_by.is_null()),
        )
        .set(call_tasks::superseded_by.eq(id))
        .execute(conn)?;
    }
    Ok(id)
}

/// The tasks for `date`, and older ones still open, with the resident's name and phone;
/// a resident's together (one phone call), the resident with the oldest first. A message
/// replaced by a later one before it was told is left out.
pub fn for_date(conn: &mut DbConn, date: NaiveDate) -> QueryResult<Vec<(CallTaskRow, String, Option<String>)>> {
    let rows = call_tasks::table
        .inner_join(residents::table)
        .filter(
            call_tasks::due_on
                .eq(date)
                .or(call_tasks::due_on.lt(date).and(call_tasks::done_at.is_null())),
        )
        .filter(
            call_tasks::superseded_by
                .is_null()
                .or(call_tasks::done_at.is_not_null()),
        )
        .order((call_tasks::due_on.asc(), call_tasks::id.asc()))
        .select((CallTaskRow::as_select(), residents::name, residents::phone))
        .load(conn)?;
    Ok(per_resident(rows, |(row, _, _)| row.resident_id))
}

/// `items` with each resident's together, in the order their first item came; the order
/// within a resident's kept.
pub fn per_resident<T>(items: Vec<T>, resident: impl Fn(&T) -> i64) -> Vec<T> {
    let mut first_seen: HashMap<i64, usize> = HashMap::new();
    let mut keyed: Vec<(usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| (*first_seen.entry(resident(&item)).or_insert(i), item))
        .collect();
    keyed.sort_by_key(|(first, _)| *first);
    keyed.into_iter().map(|(_, item)| item).collect()
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<CallTaskRow>> {
    call_tasks::table
        .find(id)
        .select(CallTaskRow::as_select())
        .first(conn)
        .optional()
}

/// The tasks with these ids that exist, in no particular order.
pub fn find_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<CallTaskRow>> {
    call_tasks::table
        .filter(call_tasks::id.eq_any(ids))
        .select(CallTaskRow::as_select())
        .load(conn)
}

/// The resident all of `ids` are for, from the tasks `found` for them: each must exist
/// (422 `unknown_call`) and all be for one resident (422 `several_residents`).
pub fn one_call(ids: &[i64], found: &[CallTaskRow]) -> Result<i64, ApiError> {
    if let Some(unknown) = ids.iter().find(|id| !found.iter().any(|row| row.id == **id)) {
        return Err(ApiError::validation(
            "ids",
            "unknown_call",
            format!("there is no message {unknown} on the call sheet"),
        ));
    }
    let residents: HashSet<i64> = found.iter().map(|row| row.resident_id).collect();
    match (residents.len(), found.first()) {
        (1, Some(row)) => Ok(row.resident_id),
        _ => Err(ApiError::validation(
            "ids",
            "several_residents",
            "these messages are for several residents: mark each call done on its own",
        )),
    }
}

/// Marks those of these tasks done that were open; returns how many this call did.
pub fn mark_all_done(
    conn: &mut DbConn,
    ids: &[i64],
    by: i64,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        call_tasks::table
            .filter(call_tasks::id.eq_any(ids))
            .filter(call_tasks::done_at.is_null()),
    )
    .set((
        call_tasks::done_at.eq(now),
        call_tasks::done_by.eq(by),
        call_tasks::note.eq(note),
    ))
    .execute(conn)
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

#[cfg(test)]
mod tests {
    use super::per_resident;

    #[test]
    fn a_residents_messages_come_together_in_the_order_of_their_first() {
        // (resident, message) in the order of the day's list.
        let day = vec![(7, "a"), (3, "b"), (7, "c"), (5, "d"), (3, "e"), (7, "f")];
        let calls = per_resident(day, |(resident, _)| *resident);
        assert_eq!(calls, [(7, "a"), (7, "c"), (7, "f"), (3, "b"), (3, "e"), (5, "d")]);
    }

    #[test]
    fn nothing_to_call_is_nothing() {
        assert!(per_resident(Vec::<(i64, &str)>::new(), |(r, _)| *r).is_empty());
    }
}

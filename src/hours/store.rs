//! Work logs, bonus rates and issued statements in the database.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::bonus::Rate;
use super::rules::MAX_LOG_MINUTES;
use crate::db::schema::{bonus_rates, bonus_statements, work_logs};
use crate::db::{self, DbConn};

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const REJECTED: &str = "rejected";
pub const SUPERSEDED: &str = "superseded";

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = work_logs)]
pub struct WorkLog {
    pub id: i64,
    pub participant_id: i64,
    pub assignment_id: Option<i64>,
    pub job_id: Option<i64>,
    /// `job`, `office`, `training` or `other_project`.
    pub activity: Option<String>,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub started_at: NaiveDateTime,
    #[serde(serialize_with = "crate::clock::utc")]
    pub ended_at: NaiveDateTime,
    pub break_minutes: i64,
    /// Worked minutes: the span less the break.
    pub minutes: i64,
    pub note: Option<String>,
    /// `pending`, `approved`, `rejected` or `superseded`.
    pub status: String,
    pub entered_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    #[serde(serialize_with = "crate::clock::utc_opt")]
    pub decided_at: Option<NaiveDateTime>,
    pub rejection_reason: Option<String>,
    /// The log this one corrects.
    pub supersedes_id: Option<i64>,
    pub correction_reason: Option<String>,
}

pub struct NewLog<'a> {
    pub participant_id: i64,
    pub assignment_id: Option<i64>,
    pub job_id: Option<i64>,
    pub activity: &'a str,
    pub started_at: NaiveDateTime,
    pub ended_at: NaiveDateTime,
    pub break_minutes: i64,
    pub minutes: i64,
    pub note: Option<&'a str>,
    pub status: &'a str,
    pub entered_by: i64,
    pub decided_by: Option<i64>,
    pub supersedes_id: Option<i64>,
    pub correction_reason: Option<&'a str>,
}

pub fn insert(conn: &mut DbConn, l: &NewLog<'_>, now: NaiveDateTime) -> QueryResult<WorkLog> {
    diesel::insert_into(work_logs::table)
        .values((
            work_logs::participant_id.eq(l.participant_id),
            work_logs::assignment_id.eq(l.assignment_id),
            work_logs::job_id.eq(l.job_id),
            work_logs::activity.eq(l.activity),
            work_logs::started_at.eq(l.started_at),
            work_logs::ended_at.eq(l.ended_at),
            work_logs::break_minutes.eq(l.break_minutes),
            work_logs::minutes.eq(l.minutes),
            work_logs::note.eq(l.note),
            work_logs::status.eq(l.status),
            work_logs::entered_by.eq(l.entered_by),
            work_logs::created_at.eq(now),
            work_logs::decided_by.eq(l.decided_by),
            work_logs::decided_at.eq(l.decided_by.map(|_| now)),
            work_logs::supersedes_id.eq(l.supersedes_id),
            work_logs::correction_reason.eq(l.correction_reason),
        ))
        .returning(work_logs::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<WorkLog>> {
    work_logs::table
        .find(id)
        .select(WorkLog::as_select())
        .first(conn)
        .optional()
}

/// Decides a pending log; returns whether this call did.
pub fn decide(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    by: i64,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        work_logs::table
            .filter(work_logs::id.eq(id))
            .filter(work_logs::status.eq(PENDING)),
    )
    .set((
        work_logs::status.eq(status),
        work_logs::decided_by.eq(by),
        work_logs::decided_at.eq(now),
        work_logs::rejection_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn supersede(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        work_logs::table
            .filter(work_logs::id.eq(id))
            .filter(work_logs::status.eq(APPROVED)),
    )
    .set(work_logs::status.eq(SUPERSEDED))
    .execute(conn)?;
    Ok(n == 1)
}

/// The participant's live logs (pending or approved) touching a span, except one.
pub fn live_spans(
    conn: &mut DbConn,
    participant_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
    except: Option<i64>,
) -> QueryResult<Vec<(NaiveDateTime, NaiveDateTime)>> {
    let rows: Vec<(i64, NaiveDateTime, NaiveDateTime)> = work_logs::table
        .filter(work_logs::participant_id.eq(participant_id))
        .filter(work_logs::status.eq_any([PENDING, APPROVED]))
        .filter(work_logs::started_at.lt(to))
        // No log is longer than MAX_LOG_MINUTES, so one ending after `from` started at
        // most that long before it: the index on (participant, start) then reads a day
        // instead of all the participant's years.
        .filter(work_logs::started_at.ge(from - Duration::minutes(MAX_LOG_MINUTES)))
        .filter(work_logs::ended_at.gt(from))
        .select((work_logs::id, work_logs::started_at, work_logs::ended_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| Some(r.0) != except)
        .map(|r| (r.1, r.2))
        .collect())
}

/// Live logs on a job (any participant), except one.
pub fn live_on_job(conn: &mut DbConn, job_id: i64, except: Option<i64>) -> QueryResult<Vec<WorkLog>> {
    let rows: Vec<WorkLog> = work_logs::table
        .filter(work_logs::job_id.eq(job_id))
        .filter(work_logs::status.eq_any([PENDING, APPROVED]))
        .select(WorkLog::as_select())
        .load(conn)?;
    Ok(rows.into_iter().filter(|l| Some(l.id) != except).collect())
}

/// A participant's logs starting in `[from, to)`, oldest first.
pub fn of_participant(
    conn: &mut DbConn,
    participant_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<WorkLog>> {
    work_logs::table
        .filter(work_logs::participant_id.eq(participant_id))
        .filter(work_logs::started_at.ge(from))
        .filter(work_logs::started_at.lt(to))
        .order((work_logs::started_at, work_logs::id))
        .select(WorkLog::as_select())
        .load(conn)
}

/// The chain of corrections a log belongs to, oldest first.
pub fn history(conn: &mut DbConn, id: i64) -> QueryResult<Vec<WorkLog>> {
    let mut root = find(conn, id)?;
    while let Some(older) = root.as_ref().and_then(|l| l.supersedes_id) {
        root = find(conn, older)?;
    }
    let mut chain = Vec::new();
    let mut current = root;
    while let Some(log) = current {
        let next: Option<WorkLog> = work_logs::table
            .filter(work_logs::supersedes_id.eq(log.id))
            .select(WorkLog::as_select())
            .first(conn)
            .optional()?;
        chain.push(log);
        current = next;
    }
    Ok(chain)
}

/// Approved minutes per day (UTC start date, as stored) for participants in a year.
pub fn approved_in(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime, i64)>> {
    work_logs::table
        .filter(work_logs::status.eq(APPROVED))
        .filter(work_logs::started_at.ge(from))
        .filter(work_logs::started_at.lt(to))
        .select((work_logs::participant_id, work_logs::started_at, work_logs::minutes))
        .load(conn)
}

pub fn rates(conn: &mut DbConn) -> QueryResult<Vec<Rate>> {
    let rows: Vec<(NaiveDate, i64)> = bonus_rates::table
        .order(bonus_rates::valid_from)
        .select((bonus_rates::valid_from, bonus_rates::cents_per_hour))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(valid_from, cents_per_hour)| Rate {
            valid_from,
            cents_per_hour,
        })
        .collect())
}

pub fn add_rate(conn: &mut DbConn, from: NaiveDate, cents: i64, by: i64, now: NaiveDateTime) -> QueryResult<()> {
    // Two replacing the same day's rate at once would both delete, then one insert would
    // fail on the other's row (PostgreSQL).
    db::lock(conn, &format!("bonus-rate:{from}"))?;
    diesel::delete(bonus_rates::table.filter(bonus_rates::valid_from.eq(from))).execute(conn)?;
    diesel::insert_into(bonus_rates::table)
        .values((
            bonus_rates::valid_from.eq(from),
            bonus_rates::cents_per_hour.eq(cents),
            bonus_rates::created_by.eq(by),
            bonus_rates::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = bonus_statements)]
pub struct IssuedStatement {
    pub id: i64,
    pub participant_id: i64,
    pub year: i64,
    /// `regular` or `supplement`.
    pub kind: String,
    pub minutes: i64,
    pub amount_cents: i64,
    /// Minutes per month, as JSON.
    pub months: String,
    pub issued_by: i64,
    #[serde(serialize_with = "crate::clock::utc")]
    pub issued_at: NaiveDateTime,
}

pub fn issued(conn: &mut DbConn, year: i64) -> QueryResult<Vec<IssuedStatement>> {
    bonus_statements::table
        .filter(bonus_statements::year.eq(year))
        .order(bonus_statements::id)
        .select(IssuedStatement::as_select())
        .load(conn)
}

pub struct NewStatement<'a> {
    pub participant_id: i64,
    pub year: i64,
    pub kind: &'a str,
    pub minutes: i64,
    pub amount_cents: i64,
    pub months: &'a str,
    pub issued_by: i64,
}

pub fn issue(conn: &mut DbConn, s: &NewStatement<'_>, now: NaiveDateTime) -> QueryResult<IssuedStatement> {
    diesel::insert_into(bonus_statements::table)
        .values((
            bonus_statements::participant_id.eq(s.participant_id),
            bonus_statements::year.eq(s.year),
            bonus_statements::kind.eq(s.kind),
            bonus_statements::minutes.eq(s.minutes),
            bonus_statements::amount_cents.eq(s.amount_cents),
            bonus_statements::months.eq(s.months),
            bonus_statements::issued_by.eq(s.issued_by),
            bonus_statements::issued_at.eq(now),
        ))
        .returning(bonus_statements::all_columns)
        .get_result(conn)
}

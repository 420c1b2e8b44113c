//! Year-end bonus statements: computed from approved hours in a participatiebaan; issuing
//! freezes them. A later correction never changes an issued statement: issuing again
//! adds a supplement for the difference.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::bonus::{self, MonthLine};
use super::store::{self, IssuedStatement, NewStatement};
use crate::clock;
use crate::db::DbConn;
use crate::domain::euros;
use crate::error::ApiError;
use crate::ledger::{Account, credit, debit, store as ledger};
use crate::notify::Template;
use crate::participants::mail_to;
use crate::participants::store as participants;
use crate::participants::trajectory::TrajectoryKind;
use crate::participants::trajectory_store;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Statement {
    pub participant_id: i64,
    pub participant_name: String,
    pub year: i64,
    /// Approved minutes worked in a participatiebaan, as they stand now.
    pub minutes: i64,
    pub amount_cents: i64,
    pub months: Vec<MonthLine>,
    /// Sum of the statements issued so far (regular and supplements).
    pub issued_minutes: i64,
    pub issued_amount_cents: i64,
    /// What a new issue would add (a supplement when something was issued before).
    pub outstanding_cents: i64,
    pub issued: Vec<IssuedStatement>,
}

fn year_bounds(year: i64) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let y = i32::try_from(year).map_err(|_| ApiError::validation("year", "invalid_year", "not a year"))?;
    match (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)) {
        (Some(a), Some(b)) if (2000..=2100).contains(&y) => Ok((a, b)),
        _ => Err(ApiError::validation("year", "invalid_year", "a year from 2000 to 2100")),
    }
}

/// Every participant with a participatiebaan in the year (those who left included).
pub fn for_year(conn: &mut DbConn, year: i64, only: Option<i64>) -> Result<Vec<Statement>, ApiError> {
    let (first, last) = year_bounds(year)?;
    let everyone: Vec<(i64, String)> = participants::list(conn, None, None)?
        .into_iter()
        .map(|p| (p.id, p.name))
        .filter(|(id, _)| only.is_none_or(|o| o == *id))
        .collect();
    let ids: Vec<i64> = everyone.iter().map(|(id, _)| *id).collect();
    let trajectories = trajectory_store::of_participants(conn, &ids)?;
    let rates = store::rates(conn)?;
    let from = clock::local_midnight_utc(first);
    let to = clock::local_midnight_utc(last.succ_opt().unwrap_or(last));
    let mut logs: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for (pid, start, minutes) in store::approved_in(conn, from, to)? {
        logs.entry(pid)
            .or_default()
            .push((clock::local_date(start.and_utc()), minutes));
    }
    let issued = store::issued(conn, year)?;
    let mut out = Vec::new();
    for (pid, name) in everyone {
        let baan: Vec<_> = trajectories
            .iter()
            .filter(|t| t.participant_id == pid)
            .map(|t| t.period())
            .filter(|p| p.kind == TrajectoryKind::Participatiebaan && p.starts_on <= last && p.effective_end() >= first)
            .collect();
        if baan.is_empty() {
            continue;
        }
        let computed = bonus::compute(
            logs.get(&pid).map_or(&[][..], Vec::as_slice),
            |d| baan.iter().any(|p| p.active_on(d)),
            &rates,
        );
        let mine: Vec<IssuedStatement> = issued.iter().filter(|s| s.participant_id == pid).cloned().collect();
        let issued_minutes = mine.iter().map(|s| s.minutes).sum();
        let issued_amount_cents: i64 = mine.iter().map(|s| s.amount_cents).sum();
        out.push(Statement {
            participant_id: pid,
            participant_name: name,
            year,
            outstanding_cents: computed.amount_cents - issued_amount_cents,
            minutes: computed.minutes,
            amount_cents: computed.amount_cents,
            months: computed.months,
            issued_minutes,
            issued_amount_cents,
            issued: mine,
        });
    }
    Ok(out)
}

/// Freezes the year: a regular statement for everyone not yet issued, a supplement for
/// any difference since, each booked as bonus expense owed to the participant. Participants
/// with an address are told.
pub fn issue(
    conn: &mut DbConn,
    year: i64,
    by: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Vec<Statement>, ApiError> {
    for s in for_year(conn, year, None)? {
        let first = s.issued.is_empty();
        let delta_minutes = s.minutes - s.issued_minutes;
        let delta_cents = s.amount_cents - s.issued_amount_cents;
        if !first && delta_minutes == 0 && delta_cents == 0 {
            continue;
        }
        let months = serde_json::to_string(&s.months).map_err(ApiError::internal)?;
        store::issue(
            conn,
            &NewStatement {
                participant_id: s.participant_id,
                year,
                kind: if first { "regular" } else { "supplement" },
                minutes: delta_minutes,
                amount_cents: delta_cents,
                months: &months,
                issued_by: by,
            },
            now,
        )?;
        if delta_cents != 0 {
            ledger::post(
                conn,
                today,
                "bonus_statement",
                &format!("{year}/{}", s.participant_id),
                &[
                    debit(Account::BonusExpense, delta_cents),
                    credit(Account::BonusPayable, delta_cents),
                ],
                Some(by),
                now,
            )?;
        }
        if let Some(p) = participants::find(conn, s.participant_id)?
            && let Some(to) = mail_to::of(conn, &p)?
        {
            let data =
                json!({"name": p.first_name(), "year": year, "amount": euros(delta_cents), "supplement": !first});
            to.enqueue(conn, &p, Template::BonusStatementIssued, &data, now)?;
        }
    }
    for_year(conn, year, None)
}

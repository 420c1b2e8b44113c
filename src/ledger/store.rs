//! Posting entries and deriving balances.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Account, Line, balanced};
use crate::db::DbConn;
use crate::db::schema::{journal_entries, journal_lines};
use crate::error::ApiError;

/// Posts a balanced entry; an unbalanced one is a bug and refused, and one dated in a
/// closed month is refused (`period_closed`).
pub fn post(
    conn: &mut DbConn,
    date: NaiveDate,
    kind: &str,
    reference: &str,
    lines: &[Line],
    by: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    if !balanced(lines) {
        return Err(ApiError::internal(anyhow::anyhow!(
            "unbalanced journal entry {kind} {reference}"
        )));
    }
    super::periods::check_open(conn, date)?;
    let id: i64 = diesel::insert_into(journal_entries::table)
        .values((
            journal_entries::entry_date.eq(date),
            journal_entries::kind.eq(kind),
            journal_entries::reference.eq(reference),
            journal_entries::created_by.eq(by),
            journal_entries::created_at.eq(now),
        ))
        .returning(journal_entries::id)
        .get_result(conn)?;
    for l in lines {
        diesel::insert_into(journal_lines::table)
            .values((
                journal_lines::entry_id.eq(id),
                journal_lines::account.eq(l.account.as_str()),
                journal_lines::dimension.eq(l.dimension.as_deref()),
                journal_lines::amount_cents.eq(l.cents),
                journal_lines::entry_date.eq(date),
                journal_lines::kind.eq(kind),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrialBalance {
    pub on: NaiveDate,
    /// Balance per account (debit positive).
    pub accounts: BTreeMap<String, i64>,
    /// The sum of every balance: zero when the books balance.
    pub total: i64,
    pub balanced: bool,
}

/// Balances of every account for entries dated on or before `on`.
pub fn trial_balance(conn: &mut DbConn, on: NaiveDate) -> Result<TrialBalance, ApiError> {
    let mut accounts: BTreeMap<String, i64> = Account::ALL.iter().map(|a| (a.as_str().to_owned(), 0)).collect();
    for ((account, _), cents) in super::balances::sums(conn, None, on)? {
        *accounts.entry(account).or_insert(0) += cents;
    }
    let total = accounts.values().sum();
    Ok(TrialBalance {
        on,
        accounts,
        total,
        balanced: total == 0,
    })
}

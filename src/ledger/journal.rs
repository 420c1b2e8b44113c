//! The journal as finance reads it: the entries of a period with their lines, by date,
//! or one account's card (its balance before the period, the entries that moved it, and
//! its balance after). Paged as JSON; as CSV, one row per line of the whole period.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Account;
use super::balances;
use crate::csv;
use crate::db::schema::{journal_entries, journal_lines};
use crate::db::{DbConn, MultiBackend};
use crate::domain::decimal;
use crate::error::ApiError;
use crate::pagination::{PageInfo, PageQuery};

/// At most this many lines in one CSV download.
pub const MAX_CSV_LINES: i64 = 200_000;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AccountQuery {
    /// Only the entries with a line on this account (`stripe_clearing`, `goodwill`, …, as
    /// the trial balance names them), with its balance before and after the period.
    pub account: Option<String>,
}

impl AccountQuery {
    pub fn account(&self) -> Result<Option<Account>, ApiError> {
        let Some(name) = self.account.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
            return Ok(None);
        };
        let names: Vec<&str> = Account::ALL.iter().map(|a| a.as_str()).collect();
        Account::parse(name)
            .map(Some)
            .ok_or_else(|| ApiError::validation("account", "unknown_account", format!("one of {}", names.join(", "))))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JournalLineView {
    pub account: String,
    /// The municipality or institution the line is for, if any.
    pub dimension: Option<String>,
    /// Debit positive, credit negative.
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JournalEntryView {
    pub id: i64,
    pub date: NaiveDate,
    /// What posted it: `cheque_sale`, `cheque_redemption`, `stripe_payout`, …
    pub kind: String,
    /// What it is about: a sale, a cheque serial, a Stripe object, …
    pub reference: String,
    /// UTC.
    #[serde(serialize_with = "crate::clock::utc")]
    pub created_at: NaiveDateTime,
    /// Summing to zero.
    pub lines: Vec<JournalLineView>,
}

/// One account over the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountCard {
    pub account: String,
    /// The balance at the end of the day before the period.
    pub opening_cents: i64,
    pub movement_cents: i64,
    /// The balance at the end of the period's last day.
    pub closing_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalPage {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// With `account`: its card.
    pub account: Option<AccountCard>,
    /// By date, then as posted.
    pub items: Vec<JournalEntryView>,
    pub page: PageInfo,
}

type EntryRow = (i64, NaiveDate, String, String, NaiveDateTime);
/// Date, entry, kind, reference, account, dimension, cents.
type CsvRow = (NaiveDate, i64, String, String, String, Option<String>, i64);
type Entries = journal_entries::BoxedQuery<'static, MultiBackend, (BigInt, Date, Text, Text, Timestamp)>;

/// The entries of `[from, to]`, with a line on `account` if given.
fn entries(from: NaiveDate, to: NaiveDate, account: Option<Account>) -> Entries {
    let mut q = journal_entries::table
        .filter(journal_entries::entry_date.ge(from))
        .filter(journal_entries::entry_date.le(to))
        .select((
            journal_entries::id,
            journal_entries::entry_date,
            journal_entries::kind,
            journal_entries::reference,
            journal_entries::created_at,
        ))
        .into_boxed();
    if let Some(a) = account {
        let on_account = journal_lines::table
            .filter(journal_lines::account.eq(a.as_str()))
            .filter(journal_lines::entry_date.ge(from))
            .filter(journal_lines::entry_date.le(to))
            .select(journal_lines::entry_id);
        q = q.filter(journal_entries::id.eq_any(on_account));
    }
    q
}

/// The lines of `rows`, each entry's under it.
fn with_lines(conn: &mut DbConn, rows: Vec<EntryRow>) -> QueryResult<Vec<JournalEntryView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let lines: Vec<(i64, String, Option<String>, i64)> = journal_lines::table
        .filter(journal_lines::entry_id.eq_any(&ids))
        .order((journal_lines::entry_id, journal_lines::id))
        .select((
            journal_lines::entry_id,
            journal_lines::account,
            journal_lines::dimension,
            journal_lines::amount_cents,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, date, kind, reference, created_at)| JournalEntryView {
            id,
            date,
            kind,
            reference,
            created_at,
            lines: lines
                .iter()
                .filter(|l| l.0 == id)
                .map(|(_, account, dimension, cents)| JournalLineView {
                    account: account.clone(),
                    dimension: dimension.clone(),
                    amount_cents: *cents,
                })
                .collect(),
        })
        .collect())
}

/// The balance of `account` at the end of `on`.
fn balance(conn: &mut DbConn, account: Account, on: Option<NaiveDate>) -> QueryResult<i64> {
    let Some(on) = on else {
        return Ok(0);
    };
    Ok(balances::sums(conn, None, on)?
        .into_iter()
        .filter(|((a, _), _)| a == account.as_str())
        .map(|(_, cents)| cents)
        .sum())
}

/// A page of the journal of `[from, to]`, or of `account`'s card.
pub fn page(
    conn: &mut DbConn,
    from: NaiveDate,
    to: NaiveDate,
    account: Option<Account>,
    page: &PageQuery,
) -> Result<JournalPage, ApiError> {
    let total = entries(from, to, account).count().get_result(conn)?;
    let rows: Vec<EntryRow> = entries(from, to, account)
        .order((journal_entries::entry_date, journal_entries::id))
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    let card = match account {
        Some(a) => {
            let opening = balance(conn, a, from.pred_opt())?;
            let closing = balance(conn, a, Some(to))?;
            Some(AccountCard {
                account: a.as_str().to_owned(),
                opening_cents: opening,
                movement_cents: closing - opening,
                closing_cents: closing,
            })
        }
        None => None,
    };
    Ok(JournalPage {
        from,
        to,
        account: card,
        items: with_lines(conn, rows)?,
        page: PageInfo::new(page, total),
    })
}

/// The whole period as CSV, one row per line (only `account`'s lines, if given); refused
/// above [`MAX_CSV_LINES`].
pub fn csv(conn: &mut DbConn, from: NaiveDate, to: NaiveDate, account: Option<Account>) -> Result<String, ApiError> {
    let mut q = journal_lines::table
        .inner_join(journal_entries::table)
        .filter(journal_lines::entry_date.ge(from))
        .filter(journal_lines::entry_date.le(to))
        .into_boxed::<MultiBackend>();
    if let Some(a) = account {
        q = q.filter(journal_lines::account.eq(a.as_str()));
    }
    let rows: Vec<CsvRow> = q
        .order((journal_lines::entry_date, journal_lines::entry_id, journal_lines::id))
        .limit(MAX_CSV_LINES + 1)
        .select((
            journal_lines::entry_date,
            journal_lines::entry_id,
            journal_lines::kind,
            journal_entries::reference,
            journal_lines::account,
            journal_lines::dimension,
            journal_lines::amount_cents,
        ))
        .load(conn)?;
    if rows.len() as i64 > MAX_CSV_LINES {
        return Err(ApiError::validation(
            "to",
            "too_many_lines",
            format!("more than {MAX_CSV_LINES} lines; choose a shorter period"),
        ));
    }
    let header = [
        "date",
        "entry",
        "kind",
        "reference",
        "account",
        "dimension",
        "debit",
        "credit",
    ];
    let mut body = csv::line(&header.map(String::from));
    for (date, entry, kind, reference, account, dimension, cents) in rows {
        let (debit, credit) = if cents >= 0 {
            (decimal(cents), String::new())
        } else {
            (String::new(), decimal(-cents))
        };
        body.push_str(&csv::line(&[
            date.to_string(),
            entry.to_string(),
            kind,
            reference,
            account,
            dimension.unwrap_or_default(),
            debit,
            credit,
        ]));
    }
    Ok(body)
}

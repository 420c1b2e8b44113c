//! Sums of the journal per account and entry kind over a span of days.
//!
//! A closed month cannot change (no line can be dated in it), so its sums are kept when
//! it closes (`closed_period_totals`) and read from there; only the days in open months
//! are summed from the lines. With ten million lines a trial balance then reads a few
//! hundred rows and one open month's lines, found by the date each line carries (see
//! docs/performance.md).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};

use super::periods::parse_month;
use crate::db::DbConn;
use crate::db::schema::{closed_period_totals, closed_periods, journal_lines};

/// (account, entry kind) → cents, debit positive.
pub type Sums = BTreeMap<(String, String), i64>;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    account: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    cents: i64,
}

/// The spans of `[from, to]` not covered by the given closed months (sorted, each
/// `(first day, last day)`), and the closed months that lie wholly inside it.
pub fn split(
    from: NaiveDate,
    to: NaiveDate,
    closed: &[(String, NaiveDate, NaiveDate)],
) -> (Vec<(NaiveDate, NaiveDate)>, Vec<String>) {
    let mut open = Vec::new();
    let mut covered = Vec::new();
    let mut cursor = from;
    for (month, first, last) in closed {
        if *first < from || *last > to {
            continue;
        }
        if cursor < *first {
            open.push((cursor, first.pred_opt().unwrap_or(*first)));
        }
        covered.push(month.clone());
        cursor = last.succ_opt().unwrap_or(*last);
    }
    if cursor <= to {
        open.push((cursor, to));
    }
    (open, covered)
}

/// Sums of the entries dated from `from` (`None`: the first entry) to `to`, inclusive.
pub fn sums(conn: &mut DbConn, from: Option<NaiveDate>, to: NaiveDate) -> QueryResult<Sums> {
    let from = match from {
        Some(d) => d,
        None => match journal_lines::table
            .select(diesel::dsl::min(journal_lines::entry_date))
            .get_result::<Option<NaiveDate>>(conn)?
        {
            Some(d) => d,
            None => return Ok(Sums::new()),
        },
    };
    if to < from {
        return Ok(Sums::new());
    }
    let closed: Vec<(String, NaiveDate, NaiveDate)> = closed_periods::table
        .select(closed_periods::month)
        .order(closed_periods::month)
        .load::<String>(conn)?
        .into_iter()
        .filter_map(|m| {
            let (first, next) = parse_month(&m)?;
            Some((m, first, next.pred_opt()?))
        })
        .collect();
    let (open, covered) = split(from, to, &closed);
    let mut sums = Sums::new();
    let totals: Vec<(String, String, i64)> = closed_period_totals::table
        .filter(closed_period_totals::month.eq_any(&covered))
        .select((
            closed_period_totals::account,
            closed_period_totals::kind,
            closed_period_totals::amount_cents,
        ))
        .load(conn)?;
    for (account, kind, cents) in totals {
        *sums.entry((account, kind)).or_insert(0) += cents;
    }
    for (first, last) in open {
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT account, kind, CAST(SUM(amount_cents) AS BIGINT) AS cents FROM journal_lines \
             WHERE entry_date >= $1 AND entry_date <= $2 GROUP BY account, kind",
        )
        .bind::<Date, _>(first)
        .bind::<Date, _>(last)
        .load(conn)?;
        for r in rows {
            *sums.entry((r.account, r.kind)).or_insert(0) += r.cents;
        }
    }
    Ok(sums)
}

/// Keeps a month's sums as it closes (under the period's lock, so nothing is posted in
/// it meanwhile).
pub fn keep_month(conn: &mut DbConn, month: &str, first: NaiveDate, next: NaiveDate) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO closed_period_totals (month, account, kind, amount_cents) \
         SELECT $1, account, kind, CAST(SUM(amount_cents) AS BIGINT) FROM journal_lines \
         WHERE entry_date >= $2 AND entry_date < $3 GROUP BY account, kind",
    )
    .bind::<Text, _>(month)
    .bind::<Date, _>(first)
    .bind::<Date, _>(next)
    .execute(conn)
}

/// Forgets a month's sums as it reopens.
pub fn forget_month(conn: &mut DbConn, month: &str) -> QueryResult<usize> {
    diesel::delete(closed_period_totals::table.filter(closed_period_totals::month.eq(month))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn month(m: &str) -> (String, NaiveDate, NaiveDate) {
        let (first, next) = parse_month(m).unwrap_or_default();
        (m.to_owned(), first, next.pred_opt().unwrap_or(next))
    }

    #[test]
    fn closed_months_inside_the_span_are_read_from_their_sums() {
        let closed = [month("2026-01"), month("2026-02"), month("2026-04")];
        let (open, covered) = split(d("2025-12-15"), d("2026-05-10"), &closed);
        assert_eq!(covered, ["2026-01", "2026-02", "2026-04"]);
        assert_eq!(
            open,
            [
                (d("2025-12-15"), d("2025-12-31")),
                (d("2026-03-01"), d("2026-03-31")),
                (d("2026-05-01"), d("2026-05-10")),
            ]
        );
    }

    #[test]
    fn a_closed_month_only_partly_inside_the_span_is_summed_from_lines() {
        let closed = [month("2026-01"), month("2026-02")];
        let (open, covered) = split(d("2026-01-10"), d("2026-02-28"), &closed);
        assert_eq!(covered, ["2026-02"]);
        assert_eq!(open, [(d("2026-01-10"), d("2026-01-31"))]);
        let (open, covered) = split(d("2026-02-01"), d("2026-02-27"), &closed);
        assert!(covered.is_empty());
        assert_eq!(open, [(d("2026-02-01"), d("2026-02-27"))]);
    }
}

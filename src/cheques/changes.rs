//! What happens to a cheque after its sale, each with a reason, an event and balanced
//! journal lines: expiry (its value becomes breakage), extension (an expired cheque comes
//! back), refund at the price paid less a fee, and void for a misprint. A subsidy claimed
//! on sale is reversed when the cheque ends unused (see `subsidy`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::cash_sessions;
use super::store::{self, Cheque, SOLD};
use super::subsidy;
use crate::db::DbConn;
use crate::db::schema::{cheque_events, cheque_sales, cheques};
use crate::error::ApiError;
use crate::ledger::{Account, credit, debit, store as ledger};

pub const EXPIRED: &str = "expired";
pub const REFUNDED: &str = "refunded";
pub const VOID: &str = "void";

fn event(
    conn: &mut DbConn,
    cheque_id: i64,
    action: &str,
    reason: &str,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(cheque_events::table)
        .values((
            cheque_events::cheque_id.eq(cheque_id),
            cheque_events::action.eq(action),
            cheque_events::reason.eq(reason),
            cheque_events::actor_user_id.eq(by),
            cheque_events::at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A cheque was redeemed, refunded or otherwise changed between reading it and changing
/// it: nothing is written, and the caller reads it again.
fn changed_meanwhile() -> ApiError {
    ApiError::conflict("cheque_changed", "the cheque changed meanwhile")
}

/// Moves a cheque from one status to another if it is still in the first.
fn set_status(
    conn: &mut DbConn,
    id: i64,
    from: &str,
    to: &str,
    valid_until: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = cheques::table
        .filter(cheques::id.eq(id))
        .filter(cheques::status.eq(from));
    let n = match valid_until {
        Some(v) => diesel::update(target)
            .set((
                cheques::status.eq(to),
                cheques::valid_until.eq(v),
                cheques::status_changed_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((cheques::status.eq(to), cheques::status_changed_at.eq(now)))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Expires every sold cheque whose last valid day is before `today`; its value becomes
/// breakage. Returns how many.
pub fn expire_due(conn: &mut DbConn, today: NaiveDate, now: NaiveDateTime) -> Result<usize, ApiError> {
    let due: Vec<Cheque> = cheques::table
        .filter(cheques::status.eq(SOLD))
        .filter(cheques::valid_until.lt(today))
        .select(Cheque::as_select())
        .load(conn)?;
    let mut value = 0;
    let mut expired = Vec::new();
    for c in &due {
        if set_status(conn, c.id, SOLD, EXPIRED, None, now)? {
            event(conn, c.id, "expired", "past its last valid day", None, now)?;
            value += c.price_cents;
            expired.push(c.clone());
        }
    }
    if !expired.is_empty() {
        let mut lines = vec![debit(Account::ChequeLiability, value), credit(Account::Breakage, value)];
        lines.extend(subsidy::apply(conn, &expired, subsidy::Event::Expiry, today, now)?);
        ledger::post(
            conn,
            today,
            "cheque_expiry",
            &format!("{} cheque(s)", expired.len()),
            &lines,
            None,
            now,
        )?;
    }
    Ok(expired.len())
}

/// Who changes a cheque, why and when: every change records all four.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub reason: &'a str,
    /// None when Stripe did it (a refund made in its dashboard).
    pub by: Option<i64>,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
}

/// Gives a cheque a later last day; an expired one comes back (its breakage reversed).
pub fn extend(conn: &mut DbConn, c: &Cheque, until: NaiveDate, change: Change) -> Result<Cheque, ApiError> {
    let Change { reason, by, today, now } = change;
    if until <= c.valid_until || until < today {
        return Err(ApiError::validation(
            "until",
            "not_later",
            "the new last day is after the current one and not in the past",
        ));
    }
    match c.status.as_str() {
        SOLD => {
            if !set_status(conn, c.id, SOLD, SOLD, Some(until), now)? {
                return Err(changed_meanwhile());
            }
        }
        EXPIRED => {
            if !set_status(conn, c.id, EXPIRED, SOLD, Some(until), now)? {
                return Err(changed_meanwhile());
            }
            let mut lines = vec![
                debit(Account::Breakage, c.price_cents),
                credit(Account::ChequeLiability, c.price_cents),
            ];
            lines.extend(subsidy::apply(
                conn,
                std::slice::from_ref(c),
                subsidy::Event::Reinstatement,
                today,
                now,
            )?);
            ledger::post(conn, today, "cheque_reinstated", &c.serial, &lines, by, now)?;
        }
        other => {
            return Err(ApiError::conflict(
                "cheque_not_extendable",
                format!("a {other} cheque cannot be extended"),
            ));
        }
    }
    event(conn, c.id, "extended", reason, by, now)?;
    store::by_serial(conn, &c.serial)?.ok_or(ApiError::NotFound)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefundMethod {
    /// Paid out from the cash drawer of an open cash session at the counter.
    Cash,
    /// To be transferred to the resident's bank account.
    BankTransfer,
    /// Back through Stripe to the card or account it was bought with (online purchases).
    Online,
}

/// Where the money of a refund goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payout {
    /// Cash out of the drawer of this cash session.
    Drawer {
        cash_session_id: i64,
    },
    BankTransfer,
    Online,
}

impl Payout {
    /// The refund method asked for, with the session whose drawer cash would leave: a
    /// cash refund needs one, the others take none.
    pub fn of(method: RefundMethod, cash_session_id: Option<i64>) -> Result<Self, ApiError> {
        match (method, cash_session_id) {
            (RefundMethod::Cash, Some(cash_session_id)) => Ok(Self::Drawer { cash_session_id }),
            (RefundMethod::Cash, None) => Err(session_required()),
            (RefundMethod::BankTransfer, None) => Ok(Self::BankTransfer),
            (RefundMethod::Online, None) => Ok(Self::Online),
            (_, Some(_)) => Err(no_cash_involved()),
        }
    }
}

fn session_required() -> ApiError {
    ApiError::validation(
        "cash_session_id",
        "cash_session_required",
        "cash is handed back from the drawer of an open cash session: give its id",
    )
}

fn no_cash_involved() -> ApiError {
    ApiError::validation(
        "cash_session_id",
        "no_cash_involved",
        "no cash is handed back here: leave the cash session out",
    )
}

/// Refunds an unused cheque at the price paid, less the fee.
pub fn refund(conn: &mut DbConn, c: &Cheque, payout: Payout, fee: i64, change: Change) -> Result<Cheque, ApiError> {
    let Change { reason, by, today, now } = change;
    if c.status != SOLD {
        return Err(ApiError::conflict(
            "cheque_not_refundable",
            format!("a {} cheque cannot be refunded", c.status),
        ));
    }
    if !set_status(conn, c.id, SOLD, REFUNDED, None, now)? {
        return Err(changed_meanwhile());
    }
    let fee = fee.clamp(0, c.price_cents);
    let paid_from = match payout {
        Payout::Drawer { cash_session_id } => {
            cash_sessions::pay_out(conn, cash_session_id, c.id, c.price_cents - fee, now)?;
            Account::CashDrawer
        }
        Payout::BankTransfer => Account::RefundsPayable,
        Payout::Online => Account::StripeClearing,
    };
    let mut lines = vec![
        debit(Account::ChequeLiability, c.price_cents),
        credit(paid_from, c.price_cents - fee),
    ];
    if fee > 0 {
        lines.push(credit(Account::ServiceRevenue, fee));
    }
    lines.extend(subsidy::apply(
        conn,
        std::slice::from_ref(c),
        subsidy::Event::Refund,
        today,
        now,
    )?);
    ledger::post(conn, today, "cheque_refund", &c.serial, &lines, by, now)?;
    event(conn, c.id, "refunded", reason, by, now)?;
    store::by_serial(conn, &c.serial)?.ok_or(ApiError::NotFound)
}

/// Voids a misprinted cheque: its sale is reversed in the way it was paid. A cheque sold
/// in cash is paid back in cash, out of the drawer of the open session given.
pub fn void(conn: &mut DbConn, c: &Cheque, cash_session_id: Option<i64>, change: Change) -> Result<Cheque, ApiError> {
    let Change { reason, by, today, now } = change;
    if c.status != SOLD {
        return Err(ApiError::conflict(
            "cheque_not_voidable",
            format!("a {} cheque cannot be voided", c.status),
        ));
    }
    if !set_status(conn, c.id, SOLD, VOID, None, now)? {
        return Err(changed_meanwhile());
    }
    let channel: String = cheque_sales::table
        .find(c.sale_id)
        .select(cheque_sales::channel)
        .first(conn)?;
    let paid_with = match (channel.as_str(), cash_session_id) {
        ("cash", Some(session)) => {
            cash_sessions::pay_out(conn, session, c.id, c.price_cents, now)?;
            Account::CashDrawer
        }
        ("cash", None) => return Err(session_required()),
        (_, Some(_)) => return Err(no_cash_involved()),
        ("pin", None) => Account::PinClearing,
        (_, None) => Account::StripeClearing,
    };
    let mut lines = vec![
        debit(Account::ChequeLiability, c.price_cents),
        credit(paid_with, c.price_cents),
    ];
    lines.extend(subsidy::apply(
        conn,
        std::slice::from_ref(c),
        subsidy::Event::Void,
        today,
        now,
    )?);
    ledger::post(conn, today, "cheque_void", &c.serial, &lines, by, now)?;
    event(conn, c.id, "voided", reason, by, now)?;
    store::by_serial(conn, &c.serial)?.ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: ApiError) -> String {
        match e {
            ApiError::Validation(errors) => errors[0].code.to_string(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cash_goes_with_a_session_and_nothing_else_does() {
        assert_eq!(
            Payout::of(RefundMethod::Cash, Some(7)).unwrap(),
            Payout::Drawer { cash_session_id: 7 }
        );
        assert_eq!(
            Payout::of(RefundMethod::BankTransfer, None).unwrap(),
            Payout::BankTransfer
        );
        assert_eq!(Payout::of(RefundMethod::Online, None).unwrap(), Payout::Online);
        assert_eq!(
            code(Payout::of(RefundMethod::Cash, None).unwrap_err()),
            "cash_session_required"
        );
        for method in [RefundMethod::BankTransfer, RefundMethod::Online] {
            assert_eq!(code(Payout::of(method, Some(7)).unwrap_err()), "no_cash_involved");
        }
    }
}

//! The municipality's part of a reduced cheque: the regular price less the reduced one.
//!
//! By default it is claimed when the cheque pays for a job. With the `on_sale` setting it
//! is claimed when the cheque is sold and held as deferred subsidy until the cheque is
//! used; if the cheque is refunded, voided or expires instead, the claim is reversed — the
//! municipality pays for work done, not for cheques left unused. A cheque keeps the
//! municipality and the claim moment it was sold with, so changing the setting never
//! changes what was claimed before.
//!
//! Every claim and reversal is a row in `subsidy_claims`, dated by the business day and
//! written with its journal lines in one transaction: the monthly claim is their sum.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store::Cheque;
use crate::db::DbConn;
use crate::db::schema::subsidy_claims;
use crate::ledger::{Account, Line, credit, debit, with_dimension};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimMoment {
    OnRedemption,
    OnSale,
}

impl ClaimMoment {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimMoment::OnRedemption => "on_redemption",
            ClaimMoment::OnSale => "on_sale",
        }
    }
}

/// Who pays the subsidy on cheques sold from now on, and when it is claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyPolicy {
    pub municipality: String,
    pub claim: ClaimMoment,
}

impl Default for SubsidyPolicy {
    fn default() -> Self {
        Self {
            municipality: "Ede".into(),
            claim: ClaimMoment::OnRedemption,
        }
    }
}

/// What happens to a cheque, as far as its subsidy is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Sale,
    Redemption,
    Refund,
    Void,
    Expiry,
    /// An expired cheque extended back into use.
    Reinstatement,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Sale => "sale",
            Event::Redemption => "redemption",
            Event::Refund => "refund",
            Event::Void => "void",
            Event::Expiry => "expiry",
            Event::Reinstatement => "reinstatement",
        }
    }
}

/// The journal lines that move a cheque's subsidy on an event, and the claim on the
/// municipality it makes (positive), reverses (negative) or leaves alone (zero).
pub fn movement(c: &Cheque, event: Event) -> (Vec<Line>, i64) {
    let s = c.subsidy_cents;
    if s == 0 {
        return (Vec::new(), 0);
    }
    let on_sale = c.subsidy_claim == ClaimMoment::OnSale.as_str();
    let receivable = |cents| with_dimension(Account::SubsidyReceivable, &c.municipality, cents);
    match (event, on_sale) {
        (Event::Redemption, false) => (vec![receivable(s), credit(Account::ServiceRevenue, s)], s),
        (Event::Redemption, true) => (
            vec![debit(Account::SubsidyDeferred, s), credit(Account::ServiceRevenue, s)],
            0,
        ),
        (Event::Sale | Event::Reinstatement, true) => (vec![receivable(s), credit(Account::SubsidyDeferred, s)], s),
        (Event::Refund | Event::Void | Event::Expiry, true) => {
            (vec![debit(Account::SubsidyDeferred, s), receivable(-s)], -s)
        }
        _ => (Vec::new(), 0),
    }
}

/// Records the claims the event makes on the cheques and returns the journal lines to add
/// to the caller's entry (same account and dimension summed).
pub fn apply(
    conn: &mut DbConn,
    cheques: &[Cheque],
    event: Event,
    on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<Line>> {
    let mut lines: Vec<Line> = Vec::new();
    for c in cheques {
        let (moved, claim) = movement(c, event);
        if claim != 0 {
            diesel::insert_into(subsidy_claims::table)
                .values((
                    subsidy_claims::cheque_id.eq(c.id),
                    subsidy_claims::municipality.eq(&c.municipality),
                    subsidy_claims::claimed_on.eq(on),
                    subsidy_claims::event.eq(event.as_str()),
                    subsidy_claims::amount_cents.eq(claim),
                    subsidy_claims::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        for line in moved {
            match lines
                .iter_mut()
                .find(|l| l.account == line.account && l.dimension == line.dimension)
            {
                Some(same) => same.cents += line.cents,
                None => lines.push(line),
            }
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::balanced;

    fn cheque(subsidy: i64, claim: ClaimMoment) -> Cheque {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 5, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        Cheque {
            id: 1,
            serial: "SVW-AAAA-AAAA-A".into(),
            sale_id: 1,
            product_id: 1,
            owner_resident_id: 1,
            face_minutes: 60,
            tariff: if subsidy > 0 { "reduced" } else { "regular" }.into(),
            price_cents: 800,
            subsidy_cents: subsidy,
            status: "sold".into(),
            valid_until: t.date(),
            redeemed_job_id: None,
            status_changed_at: t,
            created_at: t,
            municipality: "Ede".into(),
            subsidy_claim: claim.as_str().into(),
        }
    }

    const ALL: [Event; 6] = [
        Event::Sale,
        Event::Redemption,
        Event::Refund,
        Event::Void,
        Event::Expiry,
        Event::Reinstatement,
    ];

    #[test]
    fn by_default_only_redemption_claims() {
        let c = cheque(700, ClaimMoment::OnRedemption);
        for e in ALL {
            let (lines, claim) = movement(&c, e);
            if e == Event::Redemption {
                assert_eq!(claim, 700);
                assert!(balanced(&lines));
            } else {
                assert_eq!((lines.len(), claim), (0, 0), "{e:?}");
            }
        }
    }

    #[test]
    fn claimed_on_sale_it_is_reversed_when_the_cheque_is_not_used() {
        let c = cheque(700, ClaimMoment::OnSale);
        assert_eq!(movement(&c, Event::Sale).1, 700);
        assert_eq!(movement(&c, Event::Redemption).1, 0);
        for e in [Event::Refund, Event::Void, Event::Expiry] {
            assert_eq!(movement(&c, e).1, -700);
        }
        assert_eq!(movement(&c, Event::Reinstatement).1, 700);
        for e in ALL {
            assert!(balanced(&movement(&c, e).0), "{e:?}");
        }
    }

    #[test]
    fn regular_cheques_move_no_subsidy() {
        for claim in [ClaimMoment::OnSale, ClaimMoment::OnRedemption] {
            for e in ALL {
                assert_eq!(movement(&cheque(0, claim), e), (Vec::new(), 0));
            }
        }
    }
}

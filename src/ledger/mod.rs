//! The double-entry journal. Every money or cheque movement posts lines that sum to zero
//! (debits positive, credits negative) in the same transaction as the business change;
//! balances are derived from the lines, never stored or edited.

pub mod balances;
pub mod handlers;
pub mod journal;
pub mod periods;
pub mod reconciliation;
pub mod store;

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Account {
    CashDrawer,
    PinClearing,
    StripeClearing,
    Bank,
    ChequeLiability,
    ServiceRevenue,
    /// Per municipality (the line's dimension).
    SubsidyReceivable,
    /// Subsidy claimed on sale for cheques not used yet (a liability until redemption).
    SubsidyDeferred,
    /// Per institution (the line's dimension): invoiced work not yet paid.
    InstitutionReceivable,
    Breakage,
    RefundsPayable,
    BonusExpense,
    BonusPayable,
    /// What Stripe keeps of each payment.
    PaymentFees,
    /// Money given back that no cheque paid back: part of a purchase refunded in Stripe,
    /// settled by finance.
    Goodwill,
}

impl Account {
    pub const ALL: [Account; 15] = [
        Account::CashDrawer,
        Account::PinClearing,
        Account::StripeClearing,
        Account::Bank,
        Account::ChequeLiability,
        Account::ServiceRevenue,
        Account::SubsidyReceivable,
        Account::SubsidyDeferred,
        Account::InstitutionReceivable,
        Account::Breakage,
        Account::RefundsPayable,
        Account::BonusExpense,
        Account::BonusPayable,
        Account::PaymentFees,
        Account::Goodwill,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Account::CashDrawer => "cash_drawer",
            Account::PinClearing => "pin_clearing",
            Account::StripeClearing => "stripe_clearing",
            Account::Bank => "bank",
            Account::ChequeLiability => "cheque_liability",
            Account::ServiceRevenue => "service_revenue",
            Account::SubsidyReceivable => "subsidy_receivable",
            Account::SubsidyDeferred => "subsidy_deferred",
            Account::InstitutionReceivable => "institution_receivable",
            Account::Breakage => "breakage",
            Account::RefundsPayable => "refunds_payable",
            Account::BonusExpense => "bonus_expense",
            Account::BonusPayable => "bonus_payable",
            Account::PaymentFees => "payment_fees",
            Account::Goodwill => "goodwill",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One line: an account, an optional dimension (the municipality of a subsidy), cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub account: Account,
    pub dimension: Option<String>,
    pub cents: i64,
}

pub fn debit(account: Account, cents: i64) -> Line {
    Line {
        account,
        dimension: None,
        cents,
    }
}

pub fn credit(account: Account, cents: i64) -> Line {
    Line {
        account,
        dimension: None,
        cents: -cents,
    }
}

/// A line on an account per municipality or institution.
pub fn with_dimension(account: Account, dimension: &str, cents: i64) -> Line {
    Line {
        account,
        dimension: Some(dimension.to_owned()),
        cents,
    }
}

/// An entry balances when it has lines and they sum to zero.
pub fn balanced(lines: &[Line]) -> bool {
    !lines.is_empty() && lines.iter().map(|l| l.cents).sum::<i64>() == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_sale_balances() {
        let lines = [debit(Account::CashDrawer, 1500), credit(Account::ChequeLiability, 1500)];
        assert!(balanced(&lines));
        assert!(!balanced(&lines[..1]));
        assert!(!balanced(&[]));
        for a in Account::ALL {
            assert_eq!(Account::parse(a.as_str()), Some(a));
        }
    }

    proptest! {
        #[test]
        fn debit_and_credit_of_the_same_amount_always_balance(c in -1_000_000i64..1_000_000) {
            prop_assert!(balanced(&[debit(Account::Bank, c), credit(Account::ServiceRevenue, c)]));
        }
    }
}

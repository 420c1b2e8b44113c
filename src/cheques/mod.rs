//! Cheques: prepaid, sold at the counter (and online, later), paying for confirmed jobs.
//! 70-plus and Wmo residents pay the reduced price and the municipality the difference.
//! Every sale and redemption posts to the journal in the same transaction.

pub mod cash_sessions;
pub mod changes;
pub mod expiry;
pub mod handlers;
pub mod receipt;
pub mod redeem;
pub mod sale;
pub mod serial;
pub mod store;
pub mod subsidy;
pub mod tariff;
pub mod wallet;

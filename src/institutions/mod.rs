//! Institutions — care homes, the housing corporation — pay for the jobs they order by
//! invoice at their own hourly rate instead of with cheques. A job for an institution is
//! charged once when it is confirmed, in the same transaction (an institution receivable
//! in the journal), and the month's charges make the institution's statement. A report per period shows what
//! the service did for each, for the quarterly meeting with partners.

pub mod activity;
pub mod activity_store;
pub mod billing;
pub mod handlers;
pub mod statements;
pub mod store;

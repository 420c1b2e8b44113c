//! Jobs: what residents order (a klus or a dienst), from the order through triage and the
//! waiting list to planning, and — in later steps — to work done, confirmed and paid.
//!
//! `lifecycle`, `five_hour` and `waitlist` are the pure rules; `store` holds the SQL;
//! `order` and `triage` are the use cases, each run inside one transaction.

pub mod access;
pub mod amend;
pub mod closed_windows;
pub mod competition;
pub mod five_hour;
pub mod handlers;
pub mod input;
pub mod lifecycle;
pub mod messages;
pub mod model;
pub mod order;
pub mod queue;
pub mod series;
pub mod series_change;
pub mod series_model;
pub mod series_notice;
pub mod series_rules;
pub mod series_store;
pub mod settings;
pub mod store;
pub mod transition;
pub mod triage;
pub mod views;
pub mod waitlist;

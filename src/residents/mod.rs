//! Residents (wijkbewoners): the people who order klussen and diensten, their reduced-rate
//! entitlement and the family members who may act for them (proxies).

pub mod account;
pub mod called;
pub mod duplicates;
pub mod duplicates_store;
pub mod eligibility;
pub mod eligibility_store;
pub mod handlers;
pub mod input;
pub mod keys;
pub mod keys_store;
pub mod merge;
pub mod merge_store;
pub mod model;
pub mod preferred;
pub mod proxies;
pub mod same_person;
pub mod store;

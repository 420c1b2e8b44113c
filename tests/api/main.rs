//! Integration tests: the real app on port 0 against a fresh database of its own.
//!
//! `cargo test` runs them on SQLite (a temporary file per test). With
//! `TEST_DATABASE_URL=postgres://…` every test gets a fresh PostgreSQL database instead,
//! created from that server and dropped afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod absences;
mod audit_trail;
mod auth;
mod authorization;
mod bad_input;
mod broken_work_alerts;
mod callsheet;
mod caseload_handover;
mod cash_drawer;
mod catalogue;
mod checkout_expiry;
mod cheques;
mod cli;
mod closed_days;
mod closed_totals;
mod concurrency;
mod crash;
mod faults;
mod hardening;
mod helpers;
mod hours;
mod institutions;
mod job_changes;
mod job_list;
mod jobs;
mod mail;
mod mailed;
mod online;
mod openapi;
mod operations;
mod participant_accounts;
mod participant_list;
mod password_change;
mod person_accounts;
mod planned_work;
mod planning;
mod planning_tools;
mod privacy;
mod read_cache;
mod reconciliation;
mod registration;
mod reports;
mod residents;
mod schema;
mod series;
mod series_change;
mod series_institution;
mod series_list;
mod series_stop;
mod served;
mod sessions;
mod smtp_sink;
mod staff_accounts;
mod stripe_mock;
mod stripe_reconciliation;
mod stripe_refunds;
mod subsidy;
mod timers;
mod tokens;
mod wallet;
mod worklog_list;

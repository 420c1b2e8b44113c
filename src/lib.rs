//! servicepunt: the back end of a neighbourhood jobs service modelled on *Service voor de
//! Wijk* (Ede). Residents order klussen (small jobs around the home) and diensten
//! (company, help with groceries); participants in re-integration trajectories do the work,
//! planned by werkleiders; residents pay with prepaid cheques.
//!
//! Feature folders hold their HTTP handlers, pure rules and store functions; see
//! `DESIGN.md` in the shared folder for the domain.

pub mod allowed_methods;
pub mod app;
pub mod auth;
pub mod batch;
pub mod body_deadline;
pub mod catalogue;
pub mod cheques;
pub mod cli;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod cors;
pub mod csv;
pub mod dates;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod feedback;
pub mod head_requests;
pub mod health;
pub mod hours;
pub mod idempotency;
pub mod institutions;
pub mod jobs;
pub mod ledger;
pub mod metrics;
pub mod metrics_access;
pub mod notify;
pub mod observe;
pub mod openapi;
pub mod pagination;
pub mod participants;
pub mod patch;
pub mod payments;
pub mod period;
pub mod planning;
pub mod privacy;
pub mod query_names;
pub mod ratelimit;
pub mod read_cache;
pub mod reports;
pub mod request_body;
pub mod request_head;
pub mod request_query;
pub mod residents;
pub mod responses;
pub mod routed_path;
pub mod routes;
pub mod schema_forms;
pub mod telemetry;
pub mod timers;

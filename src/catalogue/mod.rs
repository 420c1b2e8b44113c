//! The catalogue of what residents can order: klussen (jobs around the home, such as
//! garden work) and diensten (services such as company or help with groceries).
//!
//! A service's terms are versioned: a change writes a new version and jobs keep the
//! version they were ordered under, so an agreement with local entrepreneurs can change
//! without rewriting history.

pub mod demo;
pub mod handlers;
pub mod input;
pub mod model;
pub mod store;

//! Reports for the coordinator and the municipality: counts and sums only, never a name,
//! an address or a welfare detail.

pub mod flow;
pub mod flow_store;
pub mod handlers;
pub mod ladder;
pub mod ladder_store;
pub mod monthly;
pub mod summary;
pub mod target_handlers;
pub mod targets;

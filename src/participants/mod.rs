//! Participants (deelnemers): people in a re-integration trajectory who do the work. Their
//! work profile (skills, clearance, availability, contracted hours) is for planning; their
//! trajectory is welfare data, seen by their coach (trajectbegeleider), the werkleider and
//! the coordinator — never by residents or finance.

pub mod account;
pub mod approval;
pub mod approval_store;
pub mod buddy;
pub mod buddy_ending;
pub mod buddy_store;
pub mod clearance;
pub mod coach_mail;
pub mod coach_week;
pub mod coaches;
pub mod ending_notice;
pub mod handlers;
pub mod input;
pub mod intake;
pub mod intake_notice;
pub mod intake_store;
pub mod mail_to;
pub mod model;
pub mod plan;
pub mod ramp_up;
pub mod ramp_up_store;
pub mod review;
pub mod review_store;
pub mod store;
pub mod trajectory;
pub mod trajectory_store;
pub mod views;
pub mod vocabulary;
pub mod vog;

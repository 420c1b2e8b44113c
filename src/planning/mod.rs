//! Planning: werkleiders send crews of participants to jobs. Pure hard rules and scoring,
//! assignments (never double-booking anyone), ranked suggestions, the planning board and
//! an auto-planner that proposes, but never applies on its own.

pub mod assign;
pub mod assignment_store;
pub mod attendance;
pub mod autoplan;
pub mod board;
pub mod broken_work;
pub mod broken_work_alert;
pub mod closed_day_release;
pub mod closed_days;
pub mod closing_notices;
pub mod day_schedule;
pub mod facts;
pub mod handlers;
pub mod handover;
pub mod handover_notice;
pub mod handover_store;
pub mod holidays;
pub mod messages;
pub mod on_call;
pub mod on_call_alert;
pub mod on_call_notice;
pub mod on_call_store;
pub mod on_call_weeks;
pub mod participant_schedule;
pub mod proposals;
pub mod reminders;
pub mod rules;
pub mod score;
pub mod slot;
pub mod standing;
pub mod suggest;

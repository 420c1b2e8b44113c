//! HTTP endpoints for planning.

mod assignments;
mod board;
mod broken_work;
mod closed_days;
mod handovers;
mod on_call;
mod on_call_weekly;
mod proposals;
mod schedule;
mod suggestions;

pub use assignments::{AssignmentInput, AssignmentPatch, AssignmentView};
pub use board::{AttendanceInput, BoardQuery};
pub use handovers::HandoverQuery;
pub use on_call::{OnCallInput, Rota, RotaQuery};
pub use proposals::{ApplyInput, ProposalInput};
pub use suggestions::SuggestionQuery;

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/assignments`.
pub fn assignments_routes(cfg: &mut ServiceConfig) {
    cfg.service(assignments::create_assignment)
        .service(assignments::update_assignment)
        .service(assignments::delete_assignment)
        .service(assignments::start_assignment);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(schedule::my_schedule);
}

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(suggestions::suggestions);
}

/// Under `/api/v1/planning`.
pub fn planning_routes(cfg: &mut ServiceConfig) {
    cfg.service(proposals::create_proposal)
        .service(proposals::apply_proposal)
        .service(broken_work::list_broken_work)
        .service(handovers::list_handovers)
        .service(closed_days::list_closed_days)
        .service(closed_days::public_holidays)
        .service(closed_days::close_day)
        .service(closed_days::open_day)
        .service(closed_days::release_day)
        .service(on_call_weekly::set_weekly_on_call)
        .service(on_call::on_call_rota)
        .service(on_call::set_on_call)
        .service(on_call::clear_on_call)
        .service(board::planning_board);
}

/// Under `/api/v1/attendance`.
pub fn attendance_routes(cfg: &mut ServiceConfig) {
    cfg.service(board::record_attendance);
}

/// Under `/api/v1/participants`.
pub fn participants_routes(cfg: &mut ServiceConfig) {
    cfg.service(board::participant_attendance);
}

//! HTTP endpoints for planning.

mod assignments;
mod board;
mod proposals;
mod schedule;
mod suggestions;

pub use assignments::{AssignmentInput, AssignmentPatch, AssignmentView};
pub use board::{AttendanceInput, BoardQuery};
pub use proposals::{ApplyInput, ProposalInput};
pub use suggestions::SuggestionQuery;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(assignments::create_assignment)
        .service(assignments::update_assignment)
        .service(assignments::delete_assignment)
        .service(assignments::start_assignment)
        .service(schedule::my_schedule)
        .service(suggestions::suggestions)
        .service(proposals::create_proposal)
        .service(proposals::apply_proposal)
        .service(board::planning_board)
        .service(board::record_attendance)
        .service(board::participant_attendance);
}

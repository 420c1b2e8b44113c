//! HTTP endpoints for planning.

mod assignments;
mod schedule;

pub use assignments::{AssignmentInput, AssignmentPatch, AssignmentView};
pub use schedule::ScheduleItem;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(assignments::create_assignment)
        .service(assignments::update_assignment)
        .service(assignments::delete_assignment)
        .service(assignments::start_assignment)
        .service(schedule::my_schedule);
}

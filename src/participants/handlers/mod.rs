//! HTTP endpoints for participants and trajectories.

mod absence_changes;
mod absences;
mod approvals;
mod buddies;
mod buddy_volunteers;
mod create;
mod do_not_pair;
mod intake;
mod own;
mod plan;
mod ramp_up;
mod read;
mod reviews;
mod trajectories;
mod update;

pub use absence_changes::AbsenceChange;
pub use absences::{AbsenceInput, AbsenceKind, AbsenceRecorded};
pub use approvals::{AnswerInput, ApprovalInput, OpenApproval};
pub use buddies::{BuddyInput, OwnBuddies};
pub use do_not_pair::DoNotPairInput;
pub use intake::{IntakeBooking, IntakeOpening, IntakeOutcome, RosterQuery};
pub use plan::{PlanInput, SignInput};
pub use ramp_up::{RampUpInput, RampUpView, StepInput};
pub use reviews::{ReviewDue, ReviewInput};
pub use trajectories::{EndInput, EndingQuery, EndingTrajectory, TrajectoryExtendInput, TrajectoryInput};

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/participants`.
pub fn participants_routes(cfg: &mut ServiceConfig) {
    cfg.service(create::create_participant)
        .service(read::list_participants)
        .service(read::get_participant)
        .service(update::update_participant)
        .service(absences::add_absence)
        .service(absence_changes::change_absence)
        .service(absence_changes::withdraw_absence)
        .service(do_not_pair::add_do_not_pair)
        .service(do_not_pair::remove_do_not_pair)
        .service(buddies::pair_buddy)
        .service(buddies::list_buddies)
        .service(buddies::end_buddy)
        .service(buddy_volunteers::offer_to_be_buddy)
        .service(buddy_volunteers::withdraw_buddy_offer)
        .service(ramp_up::read_ramp_up)
        .service(ramp_up::set_ramp_up)
        .service(ramp_up::remove_ramp_up)
        .service(trajectories::start_trajectory)
        .service(trajectories::list_trajectories);
}

/// Under `/api/v1/intake-slots`.
pub fn intake_routes(cfg: &mut ServiceConfig) {
    cfg.service(intake::intake_roster)
        .service(intake::open_intake_slots)
        .service(intake::book_intake)
        .service(intake::cancel_intake)
        .service(intake::remove_intake_slot)
        .service(intake::note_intake_outcome);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(own::own_participant)
        .service(plan::own_plan)
        .service(plan::sign_plan)
        .service(reviews::own_reviews)
        .service(buddies::own_buddies);
}

/// Under `/api/v1/buddy-volunteers`.
pub fn buddy_volunteers_routes(cfg: &mut ServiceConfig) {
    cfg.service(buddy_volunteers::list_buddy_volunteers);
}

/// Under `/api/v1/trajectories`.
pub fn trajectories_routes(cfg: &mut ServiceConfig) {
    cfg.service(trajectories::extend_trajectory)
        .service(trajectories::end_trajectory)
        .service(trajectories::ending_trajectories)
        .service(plan::write_plan)
        .service(plan::read_plan)
        .service(reviews::reviews_due)
        .service(approvals::open_approvals)
        .service(approvals::ask_approval)
        .service(approvals::answer_approval)
        .service(approvals::withdraw_approval)
        .service(approvals::list_approvals)
        .service(reviews::write_review)
        .service(reviews::correct_review)
        .service(reviews::list_reviews);
}

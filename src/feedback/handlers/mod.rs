//! HTTP endpoints for feedback on jobs.

mod handle;
mod job;
mod list;
mod own;

pub use handle::HandledInput;
pub use job::FeedbackInput;
pub use list::{FeedbackPage, FeedbackQuery};

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(job::give_feedback).service(job::job_feedback);
}

/// Under `/api/v1/feedback`.
pub fn feedback_routes(cfg: &mut ServiceConfig) {
    cfg.service(list::list_feedback).service(handle::mark_handled);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(own::my_compliments);
}

//! HTTP endpoints for jobs, one file per use case.

mod accept;
mod amend;
mod cancel;
mod competition;
mod events;
mod get;
mod list;
mod order;
mod refuse;
mod series;
mod waitlist;

pub use accept::AcceptInput;
pub use cancel::CancelInput;
pub use list::JobQuery;
pub use refuse::{RefusalCode, RefuseInput};
pub use waitlist::WaitlistQuery;

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(order::order_job)
        .service(list::list_jobs)
        .service(get::get_job)
        .service(amend::amend_job)
        .service(events::job_events)
        .service(accept::accept_job)
        .service(refuse::refuse_job)
        .service(cancel::cancel_job);
}

/// Under `/api/v1/job-series`.
pub fn series_routes(cfg: &mut ServiceConfig) {
    cfg.service(series::start_series)
        .service(series::list_series)
        .service(series::get_series)
        .service(series::change_series)
        .service(series::stop_series);
}

/// Under `/api/v1/waitlist`.
pub fn waitlist_routes(cfg: &mut ServiceConfig) {
    cfg.service(waitlist::waitlist);
}

/// Under `/api/v1/reports`.
pub fn reports_routes(cfg: &mut ServiceConfig) {
    cfg.service(competition::competition_report);
}

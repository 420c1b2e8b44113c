//! HTTP endpoints: the outbox for coordinators, the call sheet for werkleiders.

mod callsheet;
mod outbox;

pub use callsheet::{CallSheetQuery, CallTaskDone, CallTaskView, CallsDone};
pub use outbox::{OutboxPage, OutboxQuery};

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/admin`.
pub fn admin_routes(cfg: &mut ServiceConfig) {
    cfg.service(outbox::list_outbox).service(outbox::retry_message);
}

/// Under `/api/v1/callsheet`.
pub fn callsheet_routes(cfg: &mut ServiceConfig) {
    cfg.service(callsheet::call_sheet)
        .service(callsheet::mark_call_done)
        .service(callsheet::mark_done);
}

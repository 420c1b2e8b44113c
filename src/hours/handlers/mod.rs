//! HTTP endpoints for worked hours, job completion and bonus statements.

mod bonus;
mod completion;
mod hours;
mod worklog_approval;
mod worklog_list;
mod worklogs;

pub use bonus::{RateInput, RateView, StatementQuery};
pub use completion::{DisputeInput, ResolveInput};
pub use hours::{HoursQuery, HoursSummary, OwnHoursQuery, PeriodTotal};
pub use worklog_approval::ApproveAllInput;
pub use worklog_list::{WorkLogPage, WorkLogQuery, WorkLogStatus};
pub use worklogs::{CorrectionInput, RejectInput, WorkLogInput};

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/worklogs`.
pub fn worklogs_routes(cfg: &mut ServiceConfig) {
    cfg.service(worklog_list::list_worklogs)
        .service(worklog_approval::approve_worklogs)
        .service(worklog_approval::reject_worklogs)
        .service(worklogs::create_worklogs)
        .service(worklogs::approve_worklog)
        .service(worklogs::reject_worklog)
        .service(worklogs::correct_worklog)
        .service(worklogs::worklog_history);
}

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(completion::mark_performed)
        .service(completion::confirm_job)
        .service(completion::dispute_job)
        .service(completion::resolve_dispute);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(hours::own_hours).service(bonus::own_statement);
}

/// Under `/api/v1/participants`.
pub fn participants_routes(cfg: &mut ServiceConfig) {
    cfg.service(hours::participant_hours);
}

/// Under `/api/v1/bonus-rates`.
pub fn bonus_rates_routes(cfg: &mut ServiceConfig) {
    cfg.service(bonus::list_rates).service(bonus::add_rate);
}

/// Under `/api/v1/bonus-statements`.
pub fn bonus_statements_routes(cfg: &mut ServiceConfig) {
    cfg.service(bonus::list_statements)
        .service(bonus::issue_statements)
        .service(bonus::printable_statement);
}

//! HTTP endpoints for worked hours, job completion and bonus statements.

mod bonus;
mod completion;
mod hours;
mod worklogs;

pub use bonus::{RateInput, RateView, StatementQuery};
pub use completion::{DisputeInput, ResolveInput};
pub use hours::{HoursQuery, HoursSummary, OwnHoursQuery, PeriodTotal};
pub use worklogs::{CorrectionInput, RejectInput, WorkLogInput};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(worklogs::create_worklogs)
        .service(worklogs::approve_worklog)
        .service(worklogs::reject_worklog)
        .service(worklogs::correct_worklog)
        .service(worklogs::worklog_history)
        .service(completion::mark_performed)
        .service(completion::confirm_job)
        .service(completion::dispute_job)
        .service(completion::resolve_dispute)
        .service(hours::own_hours)
        .service(hours::participant_hours)
        .service(bonus::list_rates)
        .service(bonus::add_rate)
        .service(bonus::list_statements)
        .service(bonus::own_statement)
        .service(bonus::issue_statements)
        .service(bonus::printable_statement);
}

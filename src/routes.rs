//! The central route table. The server and the OpenAPI document are both built from
//! [`configure`], so a route cannot be served without being documented.
//!
//! Under `/api/v1` one scope per first path segment, each filled by the modules that
//! serve routes there (their handler paths are relative to it): actix tries routes in
//! order, so a request is matched against the segments and then only its own few
//! routes, not every pattern of the API.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth, catalogue, cheques, feedback, health, hours, institutions, jobs, ledger, notify, participants, payments,
    planning, privacy, reports, residents,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(health::metrics)
        .service(
            scope::scope("/api/v1")
                .service(scope::scope("/auth").configure(auth::handlers::auth_routes))
                .service(
                    scope::scope("/me")
                        .configure(auth::handlers::me_routes)
                        .configure(residents::handlers::me_routes)
                        .configure(participants::handlers::me_routes)
                        .configure(planning::handlers::me_routes)
                        .configure(hours::handlers::me_routes)
                        .configure(cheques::handlers::me_routes)
                        .configure(feedback::handlers::me_routes)
                        .configure(privacy::own_handlers::me_routes),
                )
                .service(
                    scope::scope("/residents")
                        .configure(residents::handlers::residents_routes)
                        .configure(cheques::handlers::residents_routes)
                        .configure(privacy::handlers::residents_routes)
                        .configure(auth::handlers::resident_account_routes),
                )
                .service(
                    scope::scope("/admin")
                        .configure(auth::handlers::admin_routes)
                        .configure(notify::handlers::admin_routes)
                        .configure(privacy::handlers::admin_routes),
                )
                .service(scope::scope("/staff").configure(auth::handlers::staff_routes))
                .service(scope::scope("/callsheet").configure(notify::handlers::callsheet_routes))
                .service(scope::scope("/keys").configure(residents::handlers::keys_routes))
                .service(scope::scope("/resident-duplicates").configure(residents::handlers::duplicates_routes))
                .service(scope::scope("/services").configure(catalogue::handlers::services_routes))
                .service(
                    scope::scope("/jobs")
                        .configure(jobs::handlers::jobs_routes)
                        .configure(planning::handlers::jobs_routes)
                        .configure(hours::handlers::jobs_routes)
                        .configure(cheques::handlers::jobs_routes)
                        .configure(feedback::handlers::jobs_routes)
                        .configure(residents::handlers::jobs_routes),
                )
                .service(scope::scope("/job-series").configure(jobs::handlers::series_routes))
                .service(scope::scope("/feedback").configure(feedback::handlers::feedback_routes))
                .service(scope::scope("/waitlist").configure(jobs::handlers::waitlist_routes))
                .service(
                    scope::scope("/reports")
                        .configure(jobs::handlers::reports_routes)
                        .configure(reports::handlers::reports_routes),
                )
                .service(scope::scope("/targets").configure(reports::target_handlers::targets_routes))
                .service(
                    scope::scope("/participants")
                        .configure(participants::handlers::participants_routes)
                        .configure(planning::handlers::participants_routes)
                        .configure(hours::handlers::participants_routes)
                        .configure(privacy::handlers::participants_routes)
                        .configure(auth::handlers::participant_account_routes),
                )
                .service(scope::scope("/trajectories").configure(participants::handlers::trajectories_routes))
                .service(scope::scope("/buddy-volunteers").configure(participants::handlers::buddy_volunteers_routes))
                .service(scope::scope("/intake-slots").configure(participants::handlers::intake_routes))
                .service(scope::scope("/assignments").configure(planning::handlers::assignments_routes))
                .service(scope::scope("/planning").configure(planning::handlers::planning_routes))
                .service(scope::scope("/attendance").configure(planning::handlers::attendance_routes))
                .service(scope::scope("/worklogs").configure(hours::handlers::worklogs_routes))
                .service(scope::scope("/bonus-rates").configure(hours::handlers::bonus_rates_routes))
                .service(scope::scope("/bonus-statements").configure(hours::handlers::bonus_statements_routes))
                .service(scope::scope("/cheque-products").configure(cheques::handlers::cheque_products_routes))
                .service(scope::scope("/cash-sessions").configure(cheques::handlers::cash_sessions_routes))
                .service(scope::scope("/cheque-sales").configure(cheques::handlers::cheque_sales_routes))
                .service(scope::scope("/cheques").configure(cheques::handlers::cheques_routes))
                .service(
                    scope::scope("/finance")
                        .configure(cheques::handlers::finance_routes)
                        .configure(institutions::handlers::finance_routes)
                        .configure(payments::handlers::finance_routes)
                        .configure(ledger::handlers::finance_routes),
                )
                .service(scope::scope("/institutions").configure(institutions::handlers::institutions_routes))
                .service(scope::scope("/checkout-sessions").configure(payments::handlers::checkout_sessions_routes))
                .service(scope::scope("/webhooks").configure(payments::handlers::webhooks_routes)),
        );
}

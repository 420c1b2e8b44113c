//! The central route table. The server and the OpenAPI document are both built from
//! [`configure`], so a route cannot be served without being documented.

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    auth, catalogue, cheques, health, hours, institutions, jobs, ledger, notify, participants, payments, planning,
    privacy, reports, residents,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(health::metrics)
        .service(
            scope::scope("/api/v1")
                .configure(auth::handlers::routes)
                .configure(residents::handlers::routes)
                .configure(notify::handlers::routes)
                .configure(catalogue::handlers::routes)
                .configure(jobs::handlers::routes)
                .configure(participants::handlers::routes)
                .configure(planning::handlers::routes)
                .configure(hours::handlers::routes)
                .configure(cheques::handlers::routes)
                .configure(institutions::handlers::routes)
                .configure(payments::handlers::routes)
                .configure(reports::handlers::routes)
                .configure(privacy::handlers::routes)
                .configure(ledger::handlers::routes),
        );
}

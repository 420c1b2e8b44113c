//! HTTP endpoints for the catalogue.

mod create;
mod get;
mod list;
mod update;

pub use list::CatalogueQuery;

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/services`.
pub fn services_routes(cfg: &mut ServiceConfig) {
    cfg.service(list::list_services)
        .service(get::get_service)
        .service(create::create_service)
        .service(update::update_service);
}

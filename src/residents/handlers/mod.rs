//! HTTP endpoints for residents, one file per use case.

mod account;
mod create;
mod duplicates;
mod eligibility;
mod get;
mod keys;
mod list;
mod own;
mod preferred;
mod proxies;
mod proxy_change;
mod update;

pub use account::ResidentAccountRequest;
pub use eligibility::{EligibilityAnswer, EligibilityBasis, EligibilityPeriodInput};
pub use keys::KeyInput;
pub use list::ResidentSearchQuery;
pub use proxies::ProxyInput;
pub use proxy_change::ProxyPatch;

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/residents`.
pub fn residents_routes(cfg: &mut ServiceConfig) {
    cfg.service(create::create_resident)
        .service(list::list_residents)
        .service(get::get_resident)
        .service(update::update_resident)
        .service(eligibility::record_eligibility)
        .service(eligibility::check_eligibility)
        .service(account::give_account)
        .service(proxies::add_proxy)
        .service(proxies::list_proxies)
        .service(proxies::revoke_proxy)
        .service(proxy_change::update_proxy)
        .service(keys::receive_key)
        .service(keys::return_key)
        .service(keys::resident_keys)
        .service(preferred::preferred_helpers)
        .service(preferred::withdraw_preferred_helper);
}

/// Under `/api/v1/resident-duplicates`.
pub fn duplicates_routes(cfg: &mut ServiceConfig) {
    cfg.service(duplicates::possible_duplicates)
        .service(duplicates::merge_duplicate)
        .service(duplicates::tell_apart);
}

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(preferred::ask_again);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(own::get_own_resident)
        .service(own::update_own_resident)
        .service(own::list_principals)
        .service(keys::own_keys);
}

/// Under `/api/v1/keys`.
pub fn keys_routes(cfg: &mut ServiceConfig) {
    cfg.service(keys::held_keys);
}

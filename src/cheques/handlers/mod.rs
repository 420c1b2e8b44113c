//! HTTP endpoints for cheques.

mod changes;
mod payments;
mod products;
mod sales;
mod sessions;
mod subsidy;
mod wallet;

pub use changes::{ChequeExtendInput, RefundInput, VoidInput};
pub use payments::{RedeemInput, UnpaidJob};
pub use products::{PriceInput, ProductInput, ProductView};
pub use sales::SaleInput;
pub use sessions::{CloseInput, OpenInput};
pub use subsidy::{ClaimLine, ClaimQuery, SubsidyClaim};
pub use wallet::Wallet;

use utoipa_actix_web::service_config::ServiceConfig;

use crate::cheques::serial;
use crate::cheques::store::{self, Cheque};
use crate::db::DbConn;
use crate::error::ApiError;

/// The cheque whose number is in the path, as typed at the counter or by a resident.
fn find_cheque(conn: &mut DbConn, raw: &str) -> Result<Cheque, ApiError> {
    let printed = serial::parse(raw).map_err(|e| match e {
        serial::SerialError::Malformed => {
            ApiError::validation("serial", "invalid_serial", "a cheque number looks like SVW-7K3P-9QXD-4")
        }
        serial::SerialError::CheckFailed => ApiError::validation(
            "serial",
            "serial_typo",
            "this number has a typo: check it against the cheque",
        ),
    })?;
    store::by_serial(conn, &printed)?.ok_or(ApiError::NotFound)
}

/// Under `/api/v1/cheque-products`.
pub fn cheque_products_routes(cfg: &mut ServiceConfig) {
    cfg.service(products::list_products)
        .service(products::create_product)
        .service(products::set_price);
}

/// Under `/api/v1/cash-sessions`.
pub fn cash_sessions_routes(cfg: &mut ServiceConfig) {
    cfg.service(sessions::list_sessions)
        .service(sessions::open_session)
        .service(sessions::read_session)
        .service(sessions::close_session);
}

/// Under `/api/v1/cheque-sales`.
pub fn cheque_sales_routes(cfg: &mut ServiceConfig) {
    cfg.service(sales::sell_cheques).service(sales::sale_receipt);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(wallet::own_wallet);
}

/// Under `/api/v1/residents`.
pub fn residents_routes(cfg: &mut ServiceConfig) {
    cfg.service(wallet::resident_wallet);
}

/// Under `/api/v1/cheques`.
pub fn cheques_routes(cfg: &mut ServiceConfig) {
    cfg.service(wallet::cheque_by_serial)
        .service(changes::extend)
        .service(changes::refund)
        .service(changes::void);
}

/// Under `/api/v1/jobs`.
pub fn jobs_routes(cfg: &mut ServiceConfig) {
    cfg.service(payments::redeem_paper);
}

/// Under `/api/v1/finance`.
pub fn finance_routes(cfg: &mut ServiceConfig) {
    cfg.service(payments::unpaid_jobs).service(subsidy::subsidy_claims);
}

//! HTTP endpoints for cheques.

mod payments;
mod products;
mod sales;
mod sessions;
mod wallet;

pub use payments::{RedeemInput, UnpaidJob};
pub use products::{PriceInput, ProductInput, ProductView};
pub use sales::SaleInput;
pub use sessions::{CloseInput, OpenInput};
pub use wallet::Wallet;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(products::list_products)
        .service(products::create_product)
        .service(products::set_price)
        .service(sessions::open_session)
        .service(sessions::close_session)
        .service(sales::sell_cheques)
        .service(wallet::own_wallet)
        .service(wallet::resident_wallet)
        .service(wallet::cheque_by_serial)
        .service(payments::redeem_paper)
        .service(payments::unpaid_jobs);
}

//! HTTP endpoints under `/api/v1/auth` and `/api/v1/me`, one file each.

mod login;
mod logout;
mod me;
mod refresh;
mod register;

pub use login::LoginRequest;
pub use logout::LogoutRequest;
pub use me::MeResponse;
pub use refresh::RefreshRequest;
pub use register::{RegisterRequest, RegisterResponse};

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(login::login)
        .service(refresh::refresh)
        .service(logout::logout)
        .service(register::register)
        .service(me::me);
}

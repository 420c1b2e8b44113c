//! HTTP endpoints under `/api/v1/auth` and `/api/v1/me`, one file each, and the staff
//! accounts under `/api/v1/admin/users` (and their names for colleagues, `/api/v1/staff`).

mod caseload_handover;
mod login;
mod logout;
mod me;
mod password_change;
mod password_reset;
mod person_accounts;
mod refresh;
mod register;
mod staff_accounts;
mod staff_directory;
mod verify_email;

pub use caseload_handover::CaseloadHandover;
pub use login::LoginRequest;
pub use logout::LogoutRequest;
pub use me::MeResponse;
pub use password_change::PasswordChange;
pub use password_reset::{PasswordResetConfirm, PasswordResetRequest};
pub use refresh::RefreshRequest;
pub use register::{ConfirmRegistrationRequest, RegisterRequest, RegisterResponse};
pub use staff_accounts::{NewStaffAccount, StaffChange, StaffPage};
pub use verify_email::VerifyEmailRequest;

use utoipa_actix_web::service_config::ServiceConfig;

/// Under `/api/v1/auth`.
pub fn auth_routes(cfg: &mut ServiceConfig) {
    cfg.service(login::login)
        .service(refresh::refresh)
        .service(logout::logout)
        .service(register::register)
        .service(register::confirm_registration)
        .service(verify_email::verify_email)
        .service(verify_email::resend_verification)
        .service(password_reset::request_reset)
        .service(password_reset::confirm_reset);
}

/// Under `/api/v1/me`.
pub fn me_routes(cfg: &mut ServiceConfig) {
    cfg.service(me::me).service(password_change::change_password);
}

/// Under `/api/v1/admin`: the staff accounts, and the caseload a coach hands over.
pub fn admin_routes(cfg: &mut ServiceConfig) {
    cfg.service(staff_accounts::list_staff)
        .service(staff_accounts::create_staff)
        .service(staff_accounts::change_staff)
        .service(staff_accounts::disable_staff)
        .service(staff_accounts::enable_staff)
        .service(caseload_handover::hand_over_caseload);
}

/// Under `/api/v1/staff`: who is who, for the staff.
pub fn staff_routes(cfg: &mut ServiceConfig) {
    cfg.service(staff_directory::list_colleagues);
}

/// Under `/api/v1/residents`: the coordinator's switch for a resident's account.
pub fn resident_account_routes(cfg: &mut ServiceConfig) {
    cfg.service(person_accounts::resident_account)
        .service(person_accounts::disable_resident_account)
        .service(person_accounts::enable_resident_account);
}

/// Under `/api/v1/participants`: the coordinator's switch for a participant's account.
pub fn participant_account_routes(cfg: &mut ServiceConfig) {
    cfg.service(person_accounts::participant_account)
        .service(person_accounts::disable_participant_account)
        .service(person_accounts::enable_participant_account);
}

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::account_tokens::{self, Purpose};
use crate::auth::{AuthState, AuthUser, email_links, mail_cap, store};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    /// The code from the email (also in its link).
    pub token: String,
}

/// Confirms an email address with the token mailed at registration.
#[utoipa::path(
    tag = "auth",
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "Confirmed"),
        (status = 400, description = "Invalid, expired or used token, or malformed body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/verify-email")]
pub async fn verify_email(pool: web::Data<DbPool>, body: Json<VerifyEmailRequest>) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    db::run_tx(&pool, move |conn| {
        let now = db::now();
        let user_id =
            account_tokens::spend(conn, &token, Purpose::VerifyEmail, now)?.ok_or(ApiError::ActionTokenInvalid)?;
        store::mark_email_verified(conn, user_id, now)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends the confirmation email again (for a lost or expired one), at most five times a
/// day; past that the last link sent keeps working.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A new email is on its way (nothing is sent when the address is already confirmed)"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/verify-email/resend")]
pub async fn resend_verification(
    user: AuthUser,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
) -> Result<HttpResponse, ApiError> {
    db::run_uncounted_tx(&pool, move |conn| {
        let row = store::find_user(conn, user.id)?
            .filter(|u| u.active)
            .ok_or(ApiError::InvalidToken)?;
        if row.email_verified_at.is_none()
            && mail_cap::may_mail(conn, &row.email, mail_cap::Kind::ConfirmAddress, db::now())?
        {
            account_tokens::void_all(conn, row.id, Purpose::VerifyEmail, db::now())?;
            email_links::send(conn, &row, Purpose::VerifyEmail, &auth.public_url)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

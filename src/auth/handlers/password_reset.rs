use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::account_tokens::{self, Purpose};
use crate::auth::hashing;
use crate::auth::password::NewPassword;
use crate::auth::{AuthState, email_links, even_time, mail_cap, store};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Mails a link to choose a new password. The answer is the same whether or not an
/// account has this address, and comes after the same time (at least 0.3 s), so nobody
/// can use it to find out who has one. At most five reset mails go to an address a day.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "If the address has an account, an email is on its way"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset")]
pub async fn request_reset(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let (started, floor) = (tokio::time::Instant::now(), auth.answer_floor);
    let email = body.into_inner().email.trim().to_lowercase();
    db::run_uncounted_tx(&pool, move |conn| {
        if let Some(user) = store::find_user_by_email(conn, &email)?.filter(|u| u.active)
            && mail_cap::may_mail(conn, &user.email, mail_cap::Kind::PasswordReset, db::now())?
        {
            email_links::send(conn, &user, Purpose::PasswordReset, &auth.public_url)?;
        }
        Ok(())
    })
    .await?;
    even_time::pad(started, floor).await;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The code from the reset or invitation email (also in its link).
    pub token: String,
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub new_password: String,
}

/// Sets a new password with the mailed token: from a reset mail (single use, valid one
/// hour) or, for a new staff account, from its invitation (valid a week). Every session
/// of the account is ended, older reset links stop working, and a mail says the password
/// changed (not after an invitation: that is the first one).
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed; log in again"),
        (status = 400, description = "Invalid, expired or used token, or malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password does not meet the rules", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password-reset/confirm")]
pub async fn confirm_reset(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let PasswordResetConfirm { token, new_password } = body.into_inner();
    let new_password =
        NewPassword::parse(&new_password).map_err(|p| ApiError::validation("new_password", p.code, p.message))?;
    let hash = hashing::hash(new_password).await?;
    let public_url = auth.public_url.clone();
    db::run_tx(&pool, move |conn| {
        let now = db::now();
        let user_id =
            account_tokens::spend(conn, &token, Purpose::PasswordReset, now)?.ok_or(ApiError::ActionTokenInvalid)?;
        store::lock_account(conn, user_id)?;
        store::set_password(conn, user_id, &hash, now)?;
        store::revoke_all_sessions(conn, user_id, now)?;
        account_tokens::void_all(conn, user_id, Purpose::PasswordReset, now)?;
        // A first password chosen from an invitation (the address not yet proven) was
        // no change to tell anyone about.
        if let Some(user) = store::find_user(conn, user_id)?.filter(|u| u.email_verified_at.is_some()) {
            email_links::password_changed(conn, &user, &public_url)?;
        }
        // The mailbox owner just proved they read it.
        store::mark_email_verified(conn, user_id, now)?;
        Ok(())
    })
    .await?;
    auth.revocations.reload_now(&pool).await;
    Ok(HttpResponse::NoContent().finish())
}

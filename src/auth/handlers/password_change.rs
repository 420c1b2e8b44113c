use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::account_tokens::{self, Purpose};
use crate::auth::login_failures::{self, Keys};
use crate::auth::password::NewPassword;
use crate::auth::session::{self, TokenResponse};
use crate::auth::{AuthState, AuthUser, email_links, hashing, store};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[schema(format = Password)]
    pub current_password: String,
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub new_password: String,
}

fn wrong_password() -> ApiError {
    ApiError::validation("current_password", "wrong_password", "this is not the current password")
}

/// Changes the caller's own password. The current one is asked for again, so a phone
/// left logged in is not enough, and a wrong one counts against the account's login
/// throttle like a failed login. Every session of the account ends, this one included
/// (use the new session in the answer); older reset links stop working; a mail tells the
/// account's address that its password changed.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; a new session for this device", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong (wrong_password), or the new one does not meet the rules", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password")]
pub async fn change_password(
    req: HttpRequest,
    caller: AuthUser,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<PasswordChange>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password =
        NewPassword::parse(&new_password).map_err(|p| ApiError::validation("new_password", p.code, p.message))?;
    let (client, limits) = (crate::client_addr::of(&req), auth.throttle);

    let (user, keys, had_failures) = db::run(&pool, move |conn| {
        let user = store::find_user(conn, caller.id)?
            .filter(|u| u.active)
            .ok_or(ApiError::InvalidToken)?;
        let keys = Keys::new(&user.email.to_lowercase(), &client);
        let had_failures = login_failures::admit(conn, &keys, &limits, db::now())?;
        Ok((user, keys, had_failures))
    })
    .await?;
    if !hashing::verify(current_password, user.password_hash.clone()).await? {
        login_failures::count(&pool, keys, limits).await?;
        return Err(wrong_password());
    }
    let hash = hashing::hash(new_password).await?;

    let tokens = {
        let auth = auth.clone();
        db::run_tx(&pool, move |conn| {
            let now = db::now();
            store::lock_account(conn, user.id)?;
            // Checked outside this transaction: a change or reset that landed meanwhile
            // made the given password stale, and a disabled account starts no session.
            let current = store::find_user(conn, user.id)?
                .filter(|u| u.active)
                .ok_or(ApiError::InvalidToken)?;
            if current.password_hash != user.password_hash {
                return Err(wrong_password());
            }
            if had_failures {
                login_failures::clear_account(conn, &keys)?;
            }
            store::set_password(conn, user.id, &hash, now)?;
            store::revoke_all_sessions(conn, user.id, now)?;
            account_tokens::void_all(conn, user.id, Purpose::PasswordReset, now)?;
            email_links::password_changed(conn, &current, &auth.public_url)?;
            session::start(conn, &auth, &current, now)
        })
        .await?
    };
    auth.revocations.reload_now(&pool).await;
    Ok(web::Json(tokens))
}

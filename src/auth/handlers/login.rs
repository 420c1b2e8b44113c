use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::login_failures::{self, Keys};
use crate::auth::session::{self, TokenResponse};
use crate::auth::{AuthState, hashing, password, store};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "werkleider@servicepunt.example")]
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
}

/// Exchanges email and password for an access token and a refresh token.
///
/// Failed attempts are throttled per account and per client address; an unknown address
/// and a wrong password get the same answer in about the same time.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/login")]
pub async fn login(
    req: HttpRequest,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let account = email.trim().to_lowercase();
    let keys = Keys::new(&account, &crate::client_addr::of(&req));
    let limits = auth.throttle;

    let (user, had_failures) = {
        let keys = keys.clone();
        db::run(&pool, move |conn| {
            let had_failures = login_failures::admit(conn, &keys, &limits, db::now())?;
            Ok((store::find_user_by_email(conn, &account)?, had_failures))
        })
        .await?
    };
    // An unknown address is checked against a dummy hash: the same answer in the same time.
    let stored = user
        .as_ref()
        .map_or(password::dummy_hash(), |u| u.password_hash.as_str())
        .to_owned();
    let matches = hashing::verify(password, stored).await?;
    let user = user.filter(|u| matches && u.active);

    let Some(user) = user else {
        login_failures::count(&pool, keys, limits).await?;
        return Err(ApiError::InvalidCredentials);
    };
    let tokens = {
        let auth = auth.clone();
        db::run_uncounted_tx(&pool, move |conn| {
            // The password was checked outside this transaction: if the account was
            // disabled, erased or given a new password meanwhile, no session starts.
            store::lock_account(conn, user.id)?;
            let current = store::find_user(conn, user.id)?
                .filter(|now| now.active && now.password_hash == user.password_hash)
                .ok_or(ApiError::InvalidCredentials)?;
            if had_failures {
                login_failures::clear_account(conn, &keys)?;
            }
            session::start(conn, &auth, &current, db::now())
        })
        .await?
    };
    Ok(web::Json(tokens))
}

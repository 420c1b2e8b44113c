use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{AuthState, session};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: String,
}

/// Ends the session: the refresh token, every token of its family and the access tokens
/// issued in it stop working.
#[utoipa::path(
    tag = "auth",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Logged out (also for an unknown token)"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/logout")]
pub async fn logout(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let presented = body.into_inner().refresh_token;
    db::run_uncounted_tx(&pool, move |conn| session::end(conn, &presented, db::now())).await?;
    auth.revocations.reload_now(&pool).await;
    Ok(HttpResponse::NoContent().finish())
}

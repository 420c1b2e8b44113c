use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::AuthState;
use crate::auth::session::{self, Rotation, TokenResponse};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Spends a refresh token and returns a new access and refresh token.
///
/// A refresh token works once. Presenting one that was already used revokes every token
/// of that login, because a copy of it is in someone's hands.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, expired, revoked or re-used refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let presented = body.into_inner().refresh_token;
    let state = auth.clone();
    let outcome = db::run_uncounted_tx(&pool, move |conn| session::rotate(conn, &state, &presented, db::now())).await?;
    match outcome {
        Rotation::Rotated(tokens) => Ok(web::Json(tokens)),
        Rotation::ReuseDetected => {
            tracing::warn!("refresh token re-used; its session family was revoked");
            // The thief's access token (or the user's) stops working now.
            auth.revocations.reload_now(&pool).await;
            Err(ApiError::InvalidRefreshToken)
        }
        Rotation::Invalid => Err(ApiError::InvalidRefreshToken),
    }
}

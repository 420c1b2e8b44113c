use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{AuthUser, Role, store};
use crate::db::{self, DbPool};
use crate::domain::Language;
use crate::error::{ApiError, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    /// Whether the address was confirmed through the emailed link.
    pub email_verified: bool,
}

/// The account the access token belongs to.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = MeResponse),
        (status = 401, description = "Missing or invalid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn me(user: AuthUser, pool: web::Data<DbPool>) -> Result<web::Json<MeResponse>, ApiError> {
    let row = db::run(&pool, move |conn| Ok(store::find_user(conn, user.id)?)).await?;
    let row = row.filter(|u| u.active).ok_or(ApiError::InvalidToken)?;
    Ok(web::Json(MeResponse {
        id: row.id,
        role: row.role().unwrap_or(user.role),
        language: Language::from_stored(&row.language),
        email_verified: row.email_verified_at.is_some(),
        email: row.email,
        name: row.name,
    }))
}

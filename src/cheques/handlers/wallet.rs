use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::extract::{FinanceDesk, ResidentAccount};
use crate::auth::{AuthUser, RequireRole, Role};
use crate::cheques::store::{self, Cheque};
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::access;
use crate::residents::store as residents;

#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    pub resident_id: i64,
    /// Minutes of work the usable cheques pay for.
    pub balance_minutes: i64,
    /// What the usable cheques were bought for.
    pub balance_cents: i64,
    pub cheques: Vec<Cheque>,
}

fn wallet(conn: &mut DbConn, resident_id: i64) -> Result<Wallet, ApiError> {
    let today = clock::today();
    let cheques = store::of_owner(conn, resident_id)?;
    let usable: Vec<&Cheque> = cheques
        .iter()
        .filter(|c| c.status == store::SOLD && c.valid_until >= today)
        .collect();
    Ok(Wallet {
        resident_id,
        balance_minutes: usable.iter().map(|c| c.face_minutes).sum(),
        balance_cents: usable.iter().map(|c| c.price_cents).sum(),
        cheques,
    })
}

/// The caller's own cheques and balance.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your wallet", body = Wallet),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No resident record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cheques")]
pub async fn own_wallet(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
) -> Result<web::Json<Wallet>, ApiError> {
    let user_id = user.id;
    let w = db::run(&pool, move |conn| {
        let me = residents::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        wallet(conn, me.id)
    })
    .await?;
    Ok(web::Json(w))
}

/// A resident's cheques and balance (finance and coordinator).
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The wallet", body = Wallet),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/cheques")]
pub async fn resident_wallet(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<Wallet>, ApiError> {
    let id = id.into_inner();
    let w = db::run(&pool, move |conn| {
        residents::find(conn, id)?.ok_or(ApiError::NotFound)?;
        wallet(conn, id)
    })
    .await?;
    Ok(web::Json(w))
}

/// One cheque by its printed number, for finance and for its owner (or their proxy). A
/// mistyped number is caught by its check character.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("serial" = String, Path, description = "Printed cheque number, e.g. SVW-7K3P-9QXD-4")),
    responses(
        (status = 200, description = "The cheque", body = Cheque),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such cheque (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a cheque number, or a typo", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{serial}")]
pub async fn cheque_by_serial(
    user: AuthUser,
    pool: web::Data<DbPool>,
    serial: web::Path<String>,
) -> Result<web::Json<Cheque>, ApiError> {
    let raw = serial.into_inner();
    let c = db::run(&pool, move |conn| {
        let c = super::find_cheque(conn, &raw)?;
        let allowed = user.is_any(&[Role::Finance])
            || (user.is(Role::Resident) && access::may_act_for(conn, &user, c.owner_resident_id)?);
        if !allowed {
            return Err(ApiError::NotFound);
        }
        Ok(c)
    })
    .await?;
    Ok(web::Json(c))
}

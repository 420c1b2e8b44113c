use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::{FinanceDesk, ResidentAccount};
use crate::auth::{AuthUser, RequireRole, Role};
use crate::cheques::store::Cheque;
use crate::cheques::wallet::{self, Held};
use crate::clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::{ApiError, Problem};
use crate::jobs::access;
use crate::pagination::{PageInfo, PageQuery};
use crate::request_query::Query;
use crate::residents::store as residents;

#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    pub resident_id: i64,
    /// Minutes of work the usable cheques pay for.
    pub balance_minutes: i64,
    /// What the usable cheques were bought for.
    pub balance_cents: i64,
    /// A page of the cheques asked for (`held`; all by default).
    pub cheques: Vec<Cheque>,
    #[serde(flatten)]
    pub page: PageInfo,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WalletQuery {
    /// Only these cheques: `usable` (earliest expiry first), `redeemed`, `expired`,
    /// `refunded` or `void`. Absent: all, latest change first.
    #[param(inline)]
    pub held: Option<Held>,
}

fn wallet(conn: &mut DbConn, resident_id: i64, held: Option<Held>, page: &PageQuery) -> Result<Wallet, ApiError> {
    let today = clock::today();
    let (balance_minutes, balance_cents) = wallet::balance(conn, resident_id, today)?;
    let (cheques, total) = wallet::page(conn, resident_id, held, today, page)?;
    Ok(Wallet {
        resident_id,
        balance_minutes,
        balance_cents,
        cheques,
        page: PageInfo::new(page, total),
    })
}

/// The caller's own cheques, a page at a time, and the balance of the usable ones.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(WalletQuery, PageQuery),
    responses(
        (status = 200, description = "Your wallet", body = Wallet),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No resident record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cheques")]
pub async fn own_wallet(
    user: RequireRole<ResidentAccount>,
    pool: web::Data<DbPool>,
    query: Query<WalletQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<Wallet>, ApiError> {
    let user_id = user.id;
    let (held, page) = (query.held, page.into_inner());
    let w = db::run_snapshot(&pool, move |conn| {
        let me = residents::find_by_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        wallet(conn, me.id, held, &page)
    })
    .await?;
    Ok(web::Json(w))
}

/// A resident's cheques, a page at a time, and the balance of the usable ones: for finance
/// and the coordinator, and for a family member who acts for the resident (who confirms
/// the hours these cheques pay and may buy more for them).
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id"), WalletQuery, PageQuery),
    responses(
        (status = 200, description = "The wallet", body = Wallet),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither finance nor a resident account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident (or not one you act for)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/cheques")]
pub async fn resident_wallet(
    user: AuthUser,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    query: Query<WalletQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<Wallet>, ApiError> {
    let finance = access::staff_or_resident::<FinanceDesk>(&user)?;
    let (id, held, page) = (id.into_inner(), query.held, page.into_inner());
    let w = db::run_snapshot(&pool, move |conn| {
        if !finance {
            access::acting_for(conn, &user, id)?;
        }
        residents::find(conn, id)?.ok_or(ApiError::NotFound)?;
        wallet(conn, id, held, &page)
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

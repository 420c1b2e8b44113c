use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::cash_sessions::{self, CashSession};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::request_body::Json;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    /// Cash in the drawer at the start.
    #[schema(minimum = 0, maximum = 10000000)]
    pub float_cents: i64,
}

/// Opens the counter's cash session with its float.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    request_body = OpenInput,
    responses(
        (status = 201, description = "Opened", body = CashSession),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Negative float", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn open_session(
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    body: Json<OpenInput>,
) -> Result<HttpResponse, ApiError> {
    let (by, float) = (staff.id, body.into_inner().float_cents);
    if !(0..=10_000_000).contains(&float) {
        return Err(ApiError::validation("float_cents", "out_of_range", "0 to 100000 euros"));
    }
    let s = db::run_tx(&pool, move |conn| {
        Ok(cash_sessions::open_session(conn, by, float, db::now())?)
    })
    .await?;
    Ok(HttpResponse::Created().json(s))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// The cash counted in the drawer.
    #[schema(minimum = 0, maximum = 10000000)]
    pub counted_cents: i64,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ClosedSession {
    #[serde(flatten)]
    pub session: CashSession,
    /// Counted minus expected: negative when cash is missing.
    pub difference_cents: i64,
    /// Taken for cheques sold in cash in the session.
    pub cash_sales_cents: i64,
    /// Handed back for cheques refunded or voided in cash in the session.
    pub cash_paid_out_cents: i64,
}

/// Closes the session: the counted cash against the float plus cash sales less the cash
/// handed back (refunds and voids in cash).
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Cash session id")),
    request_body = CloseInput,
    responses(
        (status = 200, description = "Closed, with the difference", body = ClosedSession),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A counted amount out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/close")]
pub async fn close_session(
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<CloseInput>,
) -> Result<web::Json<ClosedSession>, ApiError> {
    let (by, id, counted) = (staff.id, id.into_inner(), body.into_inner().counted_cents);
    if !(0..=10_000_000).contains(&counted) {
        return Err(ApiError::validation(
            "counted_cents",
            "out_of_range",
            "0 to 100000 euros",
        ));
    }
    let closed = db::run_tx(&pool, move |conn| {
        // Waits for the sales, refunds and voids under way in the session, so their cash
        // is counted.
        db::lock(conn, &cash_sessions::session_lock(id))?;
        let s = cash_sessions::session(conn, id)?.ok_or(ApiError::NotFound)?;
        let drawer = cash_sessions::drawer(conn, id)?;
        let expected = drawer.expected(s.float_cents);
        if !cash_sessions::close_session(conn, id, by, expected, counted, db::now())? {
            return Err(ApiError::conflict(
                "session_closed",
                "this cash session is closed already",
            ));
        }
        let session = cash_sessions::session(conn, id)?.ok_or(ApiError::NotFound)?;
        Ok(ClosedSession {
            difference_cents: counted - expected,
            cash_sales_cents: drawer.sales_cents,
            cash_paid_out_cents: drawer.paid_out_cents,
            session,
        })
    })
    .await?;
    Ok(web::Json(closed))
}

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::cash_sessions::{self, CashSession, SessionView};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};
use crate::idempotency;
use crate::pagination::{PageInfo, PageQuery};
use crate::request_body::Json;
use crate::request_query::Query;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    /// Cash in the drawer at the start.
    #[schema(minimum = 0, maximum = 10000000)]
    pub float_cents: i64,
}

/// Opens the counter's cash session with its float. Send an `Idempotency-Key` header: a
/// retry with the same key and body (a double click, a lost answer) gets the session the
/// first request opened instead of a second drawer.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(crate::idempotency::KeyHeader),
    request_body = OpenInput,
    responses(
        (status = 201, description = "Opened", body = CashSession, headers(("Location" = String, description = "The new cash session's address"))),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A float out of range, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn open_session(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let by = staff.id;
    let (key, hash, input): (_, _, OpenInput) = idempotency::keyed(&req, body.into_inner())?;
    let float = input.float_cents;
    if !(0..=10_000_000).contains(&float) {
        return Err(ApiError::validation("float_cents", "out_of_range", "0 to 100000 euros"));
    }
    idempotency::run(&pool, by, key, hash, Some("/api/v1/cash-sessions"), move |conn| {
        let opened = cash_sessions::open_session(conn, by, float, db::now())?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(opened).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// The cash counted in the drawer.
    #[schema(minimum = 0, maximum = 10000000)]
    pub counted_cents: i64,
}

/// Closes the session: the counted cash against the float plus cash sales less the cash
/// handed back (refunds and voids in cash). Send an `Idempotency-Key` header: a retry
/// with the same key and body gets the first answer instead of `session_closed`.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Cash session id"), crate::idempotency::KeyHeader),
    request_body = CloseInput,
    responses(
        (status = 200, description = "Closed, with the difference", body = SessionView),
        (status = 400, description = "Malformed body or key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed already, or a request with this key is in progress", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A counted amount out of range, or the key was used for another request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/close")]
pub async fn close_session(
    req: HttpRequest,
    staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (by, id) = (staff.id, id.into_inner());
    let (key, hash, input): (_, _, CloseInput) = idempotency::keyed(&req, body.into_inner())?;
    let counted = input.counted_cents;
    if !(0..=10_000_000).contains(&counted) {
        return Err(ApiError::validation(
            "counted_cents",
            "out_of_range",
            "0 to 100000 euros",
        ));
    }
    idempotency::run(&pool, by, key, hash, None, move |conn| {
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
        let closed = cash_sessions::view(conn, id)?;
        Ok((
            StatusCode::OK,
            serde_json::to_value(closed).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SessionsQuery {
    /// Only open (`true`) or closed (`false`) sessions.
    pub open: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionPage {
    pub items: Vec<SessionView>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// The cash sessions, the latest opened first, each with the cash that went through its
/// drawer: the counter finds the session it has open (`?open=true`), the back office a
/// day's closes and their differences.
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(SessionsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of sessions", body = SessionPage),
        (status = 400, description = "Malformed query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("")]
pub async fn list_sessions(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: Query<SessionsQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<SessionPage>, ApiError> {
    let (open, page) = (query.open, page.into_inner());
    let (items, total) = db::run_snapshot(&pool, move |conn| Ok(cash_sessions::list(conn, open, &page)?)).await?;
    Ok(web::Json(SessionPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

/// One cash session with the cash that went through its drawer: for an open one, what
/// the drawer should hold now (`expected_cents`).
#[utoipa::path(
    tag = "cheques",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Cash session id")),
    responses(
        (status = 200, description = "The session", body = SessionView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn read_session(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<SessionView>, ApiError> {
    let id = id.into_inner();
    let view = db::run_snapshot(&pool, move |conn| cash_sessions::view(conn, id)).await?;
    Ok(web::Json(view))
}

//! HTTP endpoints for the books.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::store::{self, TrialBalance};
use crate::auth::RequireRole;
use crate::auth::extract::FinanceDesk;
use crate::cheques::store as cheques;
use crate::clock;
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(trial_balance);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TrialBalanceQuery {
    /// The day to take the balances on (default today).
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrialBalanceReport {
    #[serde(flatten)]
    pub balance: TrialBalance,
    /// The value of every cheque still `sold` (what the residents hold).
    pub cheques_outstanding_cents: i64,
    /// Whether the liability account equals the outstanding cheques (today's books only).
    pub liability_matches_cheques: Option<bool>,
    /// Subsidy claimed on sale for cheques still `sold`.
    pub subsidy_deferred_outstanding_cents: i64,
    /// Whether the deferred-subsidy account equals that (today's books only).
    pub deferred_subsidy_matches_cheques: Option<bool>,
}

/// Every account's balance on a day; the books always balance, the cheque liability
/// equals the value of the cheques still held and the deferred subsidy their claimed part.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    params(TrialBalanceQuery),
    responses(
        (status = 200, description = "The trial balance", body = TrialBalanceReport),
        (status = 400, description = "Invalid date", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not finance", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finance/trial-balance")]
pub async fn trial_balance(
    _staff: RequireRole<FinanceDesk>,
    pool: web::Data<DbPool>,
    query: web::Query<TrialBalanceQuery>,
) -> Result<web::Json<TrialBalanceReport>, ApiError> {
    let today = clock::today();
    let on = query.on.unwrap_or(today);
    let report = db::run(&pool, move |conn| {
        let balance = store::trial_balance(conn, on)?;
        let outstanding = cheques::outstanding_cents(conn)?;
        let liability = balance.accounts.get("cheque_liability").copied().unwrap_or(0);
        let deferred = cheques::deferred_subsidy_cents(conn)?;
        let deferred_balance = balance.accounts.get("subsidy_deferred").copied().unwrap_or(0);
        Ok(TrialBalanceReport {
            deferred_subsidy_matches_cheques: (on >= today).then_some(-deferred_balance == deferred),
            subsidy_deferred_outstanding_cents: deferred,
            liability_matches_cheques: (on >= today).then_some(-liability == outstanding),
            cheques_outstanding_cents: outstanding,
            balance,
        })
    })
    .await?;
    Ok(web::Json(report))
}

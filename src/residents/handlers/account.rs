//! The desk gives a resident it registered an account for the app (see
//! `residents::account`).

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::extract::ResidentDesk;
use crate::auth::{AuthState, RequireRole};
use crate::db::{self, DbPool};
use crate::domain::Email;
use crate::error::{ApiError, Problem};
use crate::request_body::Json;
use crate::residents::account::{self, ResidentInvitation};
use crate::responses;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentAccountRequest {
    /// The address the resident reads their mail at; they will log in with it. It
    /// becomes the record's email too.
    #[schema(max_length = 254, format = Email)]
    pub email: String,
}

/// Gives a resident registered at the desk an account for the app, so they order and
/// follow their own jobs and cheques: it is made with `email`, and they are mailed a link
/// to choose a password, valid a week. Until they have chosen one, sending it again mails
/// a new link (to a corrected address, when it was mistyped) and voids the earlier ones.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    request_body = ResidentAccountRequest,
    responses(
        (status = 201, description = "Account made and the link mailed", body = ResidentInvitation),
        (status = 200, description = "The account made before got a new link (sent_again)", body = ResidentInvitation),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The resident chose a password already (has_account), the account is switched off (account_disabled), the address has another account (email_in_use), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/account")]
pub async fn give_account(
    staff: RequireRole<ResidentDesk>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<ResidentAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let email = Email::parse(&body.into_inner().email).map_err(|p| ApiError::validation("email", p.code, p.message))?;
    let public_url = auth.public_url.clone();
    let given = db::run_tx(&pool, move |conn| account::give(conn, id, &email, &public_url)).await?;
    tracing::info!(
        account = given.user_id,
        by = staff.user.id,
        sent_again = given.sent_again,
        "resident account given"
    );
    Ok(responses::created_or_ok(!given.sent_again, &given))
}

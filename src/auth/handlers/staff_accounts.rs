use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::extract::CoordinatorOnly;
use crate::auth::invitations::{self, Invitation};
use crate::auth::staff_accounts::{self, Change, StaffAccount, StaffRole};
use crate::auth::{AuthState, RequireRole};
use crate::db::{self, DbPool};
use crate::domain::{Email, Language, PersonName};
use crate::error::{ApiError, Problem, Violations};
use crate::pagination::{PageInfo, PageQuery};
use crate::request_body::Json;
use crate::request_query::Query;
use crate::responses;

#[derive(Debug, Deserialize, IntoParams)]
pub struct StaffQuery {
    /// Only accounts with this role.
    #[param(inline)]
    pub role: Option<StaffRole>,
    /// Only active (`true`) or disabled (`false`) accounts.
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffAccount>,
    #[serde(flatten)]
    pub page: PageInfo,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffAccount {
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    pub role: StaffRole,
    /// Default `nl`.
    pub language: Option<Language>,
}

/// The staff accounts (werkleiders, trajectbegeleiders, finance, coordinators), by name.
/// Residents' and participants' accounts are not listed here.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(StaffQuery, PageQuery),
    responses(
        (status = 200, description = "A page of accounts", body = StaffPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_staff(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    query: Query<StaffQuery>,
    page: Query<PageQuery>,
) -> Result<web::Json<StaffPage>, ApiError> {
    let (role, active, page) = (query.role, query.active, page.into_inner());
    let (items, total) =
        db::run_snapshot(&pool, move |conn| Ok(staff_accounts::list(conn, role, active, &page)?)).await?;
    Ok(web::Json(StaffPage {
        items,
        page: PageInfo::new(&page, total),
    }))
}

/// Makes an account for a new staff member. Its holder gets a mail with a link to choose
/// a password (valid a week, at `/api/v1/auth/password-reset/confirm`); until then nobody
/// can log in with it.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    request_body = NewStaffAccount,
    responses(
        (status = 201, description = "Made; the invitation is on its way", body = StaffAccount, headers(("Location" = String, description = "The new account's address"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account has this address already (email_in_use)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_staff(
    _coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: Json<NewStaffAccount>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let (email, name) = (Email::parse(&input.email), PersonName::parse(&input.name));
    let mut v = Violations::new();
    v.note("email", &email);
    v.note("name", &name);
    v.into_result()?;
    let (email, name) = (email?, name?.into_inner());
    let public_url = auth.public_url.clone();
    let account = db::run_tx(&pool, move |conn| {
        let invitation = Invitation {
            email: &email,
            name: &name,
            role: input.role.role(),
            language: input.language.unwrap_or_default(),
        };
        let user = invitations::invite(conn, &invitation, &public_url)?;
        StaffAccount::of(user).ok_or(ApiError::NotFound)
    })
    .await?;
    tracing::info!(account = account.id, role = ?account.role, "staff account made");
    Ok(responses::created_at("/api/v1/admin/users", account.id, &account))
}

/// Turns a staff account off (someone leaves): no more logins, every session ended at
/// once. Not the caller's own account.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, description = "Disabled", body = StaffAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own account (own_account)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/disable")]
pub async fn disable_staff(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<StaffAccount>, ApiError> {
    let (by, id) = (coordinator.user, id.into_inner());
    let account = db::run_tx(&pool, move |conn| staff_accounts::switch(conn, &by, id, false)).await?;
    auth.revocations.reload_now(&pool).await;
    tracing::info!(account = account.id, by = by.id, "staff account disabled");
    Ok(web::Json(account))
}

/// Turns a disabled staff account on again; its holder logs in anew.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    responses(
        (status = 200, description = "Enabled", body = StaffAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own account (own_account)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/enable")]
pub async fn enable_staff(
    coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<StaffAccount>, ApiError> {
    let (by, id) = (coordinator.user, id.into_inner());
    let account = db::run_tx(&pool, move |conn| staff_accounts::switch(conn, &by, id, true)).await?;
    tracing::info!(account = account.id, by = by.id, "staff account enabled");
    Ok(web::Json(account))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffChange {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    pub role: Option<StaffRole>,
    pub language: Option<Language>,
    /// Corrects a mistyped address while its holder has not chosen a password: a new link
    /// goes to it (the same address again: sent again), and the earlier links stop working.
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
}

/// Corrects or changes a staff account: its name, role or language, and its address until
/// its holder has chosen a password. A new role ends the account's sessions (its holder
/// logs in again and gets the new role's access). Not the caller's own role; not a
/// trajectbegeleider's while participants have them as coach.
#[utoipa::path(
    tag = "operations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Account id")),
    request_body = StaffChange,
    responses(
        (status = 200, description = "Changed", body = StaffAccount),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such staff account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller's own role (own_account), a coach with a caseload (has_caseload), a new address once a password is chosen (invitation_accepted) or for an account switched off (account_disabled), or an address with an account of its own (email_in_use)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn change_staff(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
    body: Json<StaffChange>,
) -> Result<web::Json<StaffAccount>, ApiError> {
    let (by, id, input) = (coordinator.user, id.into_inner(), body.into_inner());
    let name = input.name.as_deref().map(PersonName::parse).transpose();
    let email = input.email.as_deref().map(Email::parse).transpose();
    let mut v = Violations::new();
    v.note("name", &name);
    v.note("email", &email);
    v.into_result()?;
    let (name, email) = (name?, email?);
    let change = Change {
        name: name.map(PersonName::into_inner),
        role: input.role,
        language: input.language,
        email,
    };
    let public_url = auth.public_url.clone();
    let (account, sessions_ended) = db::run_tx(&pool, move |conn| {
        staff_accounts::change(conn, &by, id, &change, &public_url)
    })
    .await?;
    if sessions_ended {
        auth.revocations.reload_now(&pool).await;
        tracing::info!(account = account.id, by = by.id, role = ?account.role, "staff account given another role");
    }
    Ok(web::Json(account))
}

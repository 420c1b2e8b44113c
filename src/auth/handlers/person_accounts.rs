//! The coordinator's switch for a resident's or a participant's account (see
//! `auth::person_accounts`); the desk reads whether a resident's account is in use.

use actix_web::{get, post, web};

use crate::auth::extract::{CoordinatorOnly, ResidentDesk};
use crate::auth::person_accounts::{self, Holder, PersonAccount};
use crate::auth::{AuthState, RequireRole};
use crate::db::{self, DbPool};
use crate::error::{ApiError, Problem};

async fn show(pool: &DbPool, holder: Holder) -> Result<web::Json<PersonAccount>, ApiError> {
    let account = db::run(pool, move |conn| person_accounts::show(conn, holder)).await?;
    Ok(web::Json(account))
}

async fn switch(
    pool: &DbPool,
    auth: &AuthState,
    by: i64,
    holder: Holder,
    on: bool,
) -> Result<web::Json<PersonAccount>, ApiError> {
    let account = db::run_tx(pool, move |conn| person_accounts::switch(conn, holder, on)).await?;
    if !on {
        auth.revocations.reload_now(pool).await;
    }
    let kind = match holder {
        Holder::Resident(_) => "resident",
        Holder::Participant(_) => "participant",
    };
    tracing::info!(account = account.user_id, by, kind, on, "account switched");
    Ok(web::Json(account))
}

/// Whether the resident's account can log in, and whether they have chosen its password
/// (`email_verified`): until then the desk can send the link again (`POST
/// /api/v1/residents/{id}/account`).
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "The account", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The resident has no account (no_account)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/account")]
pub async fn resident_account(
    _staff: RequireRole<ResidentDesk>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    show(&pool, Holder::Resident(id.into_inner())).await
}

/// Switches the resident's account off: no login, and every session ends at once (a lost
/// phone, a family member who should no longer order). Their record, jobs and cheques
/// stay; mails about their visits still go out.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "Switched off", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No account (no_account), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/account/disable")]
pub async fn disable_resident_account(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    let holder = Holder::Resident(id.into_inner());
    switch(&pool, &auth, coordinator.user.id, holder, false).await
}

/// Switches the resident's account on again; they log in anew.
#[utoipa::path(
    tag = "residents",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Resident id")),
    responses(
        (status = 200, description = "Switched on", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such resident", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No account (no_account), or the resident's data was erased (resident_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/account/enable")]
pub async fn enable_resident_account(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    let holder = Holder::Resident(id.into_inner());
    switch(&pool, &auth, coordinator.user.id, holder, true).await
}

/// Whether the participant's account can log in.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "The account", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The participant has no account (no_account)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/account")]
pub async fn participant_account(
    _coordinator: RequireRole<CoordinatorOnly>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    show(&pool, Holder::Participant(id.into_inner())).await
}

/// Switches the participant's account off: no login, and every session ends at once.
/// Their profile, planned work and hours stay (a werkleider logs hours for them); the
/// schedule mails still go out.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Switched off", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No account (no_account), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/account/disable")]
pub async fn disable_participant_account(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    let holder = Holder::Participant(id.into_inner());
    switch(&pool, &auth, coordinator.user.id, holder, false).await
}

/// Switches the participant's account on again; they log in anew.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Participant id")),
    responses(
        (status = 200, description = "Switched on", body = PersonAccount),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No account (no_account), or the participant's data was erased (participant_erased)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/account/enable")]
pub async fn enable_participant_account(
    coordinator: RequireRole<CoordinatorOnly>,
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    id: web::Path<i64>,
) -> Result<web::Json<PersonAccount>, ApiError> {
    let holder = Holder::Participant(id.into_inner());
    switch(&pool, &auth, coordinator.user.id, holder, true).await
}

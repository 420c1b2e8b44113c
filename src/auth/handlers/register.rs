use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::hashing;
use crate::auth::password::NewPassword;
use crate::auth::registrations::{self, Details};
use crate::auth::session::{self, TokenResponse};
use crate::auth::store::{self, NewUser};
use crate::auth::{AuthState, Role};
use crate::auth::{email_links, even_time, mail_cap};
use crate::clock;
use crate::db::{self, DbPool};
use crate::domain::{Email, Language};
use crate::error::{ApiError, FieldError, Problem};
use crate::jobs::settings::JobSettings;
use crate::request_body::Json;
use crate::residents::duplicates;
use crate::residents::input::AddressInput;
use crate::residents::model::{Audience, ResidentView};
use crate::residents::store as residents;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(max_length = 254, format = Email, example = "anna.devries@example.nl")]
    pub email: String,
    /// At least 10 characters, not a commonly used password.
    #[schema(min_length = 10, max_length = 128, format = Password)]
    pub password: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S", example = "Anna de Vries")]
    pub name: String,
    #[schema(max_length = 25, pattern = r"^\+?[0-9]([ -]?[0-9]){9,14}$", example = "0318 123456")]
    pub phone: Option<String>,
    pub address: AddressInput,
    pub language: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterResponse {
    pub user_id: i64,
    pub resident: ResidentView,
    /// The new account is logged in straight away.
    pub tokens: TokenResponse,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRegistrationRequest {
    /// The code from the email (also in its link).
    pub token: String,
}

/// Registers a resident: mails a link that confirms the address and only then makes the
/// account (`POST /auth/register/confirm`).
///
/// The answer is the same, and comes after the same time (at least 0.3 s), whether or not
/// the address has an account, so nobody can use it to find out who is a client of the
/// servicepunt; an address that has one is mailed that it has, with the ways to log in
/// or choose a new password. A second registration before the first is confirmed
/// replaces it. At most five such emails go to one address a day. The birth date (which
/// decides the 70-plus rate) is not taken here: staff record it after seeing proof.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "An email is on its way to the address"),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/register")]
pub async fn register(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let (started, floor) = (tokio::time::Instant::now(), auth.answer_floor);
    let body = body.into_inner();
    let email = Email::parse(&body.email);
    let new_password = NewPassword::parse(&body.password);
    let details = Details {
        name: body.name,
        phone: body.phone,
        address: body.address,
        language: body.language,
    };
    // Validated now, so mistakes are answered at once; parsed again when confirmed.
    let resident = details
        .clone()
        .resident_input()
        .parse(clock::today(), &settings.service_area);

    let mut errors = Vec::new();
    if let Err(p) = &email {
        errors.push(FieldError::new("email", p.code, p.message.clone()));
    }
    if let Err(p) = &new_password {
        errors.push(FieldError::new("password", p.code, p.message.clone()));
    }
    if let Err(ApiError::Validation(v)) = &resident {
        errors.extend(v.iter().cloned());
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (email, new_password, resident) = (email?, new_password?, resident?);
    // Hashing is slow on purpose: do it before the transaction takes the write lock, and
    // for a known address too, so both answers take the same time.
    let password_hash = hashing::hash(new_password).await?;

    // `may_mail` holds the address until the end, so registrations for one address take
    // turns: the second replaces the first instead of colliding with it.
    db::run_uncounted_tx(&pool, move |conn| {
        let now = db::now();
        if !mail_cap::may_mail(conn, email.as_str(), mail_cap::Kind::ConfirmAddress, now)? {
            return Ok(());
        }
        match store::find_user_by_email(conn, email.as_str())? {
            Some(user) if user.active => email_links::already_registered(conn, &user, &auth.public_url),
            Some(_) => Ok(()),
            None => {
                let token = registrations::replace(conn, email.as_str(), &password_hash, &details, now)?;
                let name = resident.name.as_str();
                email_links::confirm_registration(
                    conn,
                    email.as_str(),
                    name,
                    resident.language,
                    &token,
                    &auth.public_url,
                )
            }
        }
    })
    .await?;
    even_time::pad(started, floor).await;
    Ok(HttpResponse::Accepted().finish())
}

/// Confirms a registration with the mailed token: makes the account and its resident
/// record, and logs the account in.
#[utoipa::path(
    tag = "auth",
    request_body = ConfirmRegistrationRequest,
    responses(
        (status = 201, description = "Registered and logged in", body = RegisterResponse),
        (status = 400, description = "Invalid, expired or used token, or malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address got an account since", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/register/confirm")]
pub async fn confirm_registration(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    settings: web::Data<JobSettings>,
    body: Json<ConfirmRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    let area = settings.service_area.clone();
    let (user_id, row, tokens) = db::run_tx(&pool, move |conn| {
        let now = db::now();
        let pending = registrations::take(conn, &token, now)?.ok_or(ApiError::ActionTokenInvalid)?;
        let details: Details = serde_json::from_str(&pending.details)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored registration does not read: {e}")))?;
        let email = Email::parse(&pending.email)
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a stored registration's address does not read")))?;
        let mut resident = details.resident_input().parse(clock::today(), &area)?;
        resident.email = Some(email.clone());
        // The token holder owns the address, so telling them it has an account is no leak.
        if store::email_in_use(conn, &email)? {
            return Err(ApiError::EmailTaken);
        }
        let new_user = NewUser {
            email: &email,
            name: resident.name.as_str(),
            role: Role::Resident,
            password_hash: &pending.password_hash,
            language: resident.language,
        };
        // The check above answers the common case; the unique index settles a race.
        let user_id = store::insert_user(conn, &new_user, now)?;
        // Reading the mailed token proves the address.
        store::mark_email_verified(conn, user_id, now)?;
        let row = residents::insert(conn, &resident, Some(user_id), now)?;
        // The desk may know this person already: it is told, the registrant is not.
        duplicates::note(conn, &row, now)?;
        let user = store::find_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        let tokens = session::start(conn, &auth, &user, now)?;
        Ok((user_id, row, tokens))
    })
    .await
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            ApiError::EmailTaken
        } else {
            e
        }
    })?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        user_id,
        resident: ResidentView::of(row, Audience::Resident),
        tokens,
    }))
}

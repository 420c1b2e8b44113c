use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::account_tokens::Purpose;
use crate::auth::email_links;
use crate::auth::hashing;
use crate::auth::password::NewPassword;
use crate::auth::session::{self, TokenResponse};
use crate::auth::store::{self, NewUser};
use crate::auth::{AuthState, Role};
use crate::clock;
use crate::db::{self, DbPool};
use crate::domain::{Email, Language};
use crate::error::{ApiError, FieldError, Problem};
use crate::residents::input::{AddressInput, ResidentInput};
use crate::residents::model::{Audience, ResidentView};
use crate::residents::store as residents;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "anna.devries@example.nl")]
    pub email: String,
    /// At least 10 characters, not a commonly used password.
    #[schema(format = Password)]
    pub password: String,
    #[schema(example = "Anna de Vries")]
    pub name: String,
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

/// Creates a resident account and its resident record, and mails a link to confirm the
/// address.
///
/// The birth date (which decides the 70-plus rate) is not taken here: staff record it
/// after seeing proof.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and logged in", body = RegisterResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/register")]
pub async fn register(
    auth: web::Data<AuthState>,
    pool: web::Data<DbPool>,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email);
    let new_password = NewPassword::parse(&body.password);
    let resident = ResidentInput {
        name: body.name,
        email: None,
        phone: body.phone,
        address: body.address,
        wijk: None,
        birth_date: None,
        language: body.language,
        staff_notes: None,
    }
    .parse(clock::today());

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
    let (email, new_password, mut resident) = (email?, new_password?, resident?);
    resident.email = Some(email.clone());
    // Hashing is slow on purpose: do it before the transaction takes the write lock.
    let password_hash = hashing::hash(new_password).await?;

    let (user_id, row, tokens) = db::run_tx(&pool, move |conn| {
        if store::email_in_use(conn, &email)? {
            return Err(ApiError::EmailTaken);
        }
        let now = db::now();
        let new_user = NewUser {
            email: &email,
            name: resident.name.as_str(),
            role: Role::Resident,
            password_hash: &password_hash,
            language: resident.language,
        };
        // The check above answers the common case; the unique index settles a race.
        let user_id = store::insert_user(conn, &new_user, now).map_err(|e| match e {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::EmailTaken
            }
            other => other.into(),
        })?;
        let row = residents::insert(conn, &resident, Some(user_id), now)?;
        let user = store::find_user(conn, user_id)?.ok_or(ApiError::NotFound)?;
        email_links::send(conn, &user, Purpose::VerifyEmail, &auth.public_url)?;
        let tokens = session::start(conn, &auth, &user, now)?;
        Ok((user_id, row, tokens))
    })
    .await?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        user_id,
        resident: ResidentView::of(row, Audience::Resident),
        tokens,
    }))
}

//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//!
//! Every variant has a stable snake_case `code` that clients switch on; the human text may
//! change, the code may not. Unexpected failures become an opaque 500 whose cause chain is
//! logged, never sent.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

mod fields;

pub use fields::{FieldError, FieldProblem, Violations};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body does not match the expected shape: {0}")]
    InvalidBody(String),
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request headers come to more than {limit} bytes")]
    HeadersTooLarge { limit: usize },
    #[error("the address (path and query) is longer than {limit} bytes")]
    UriTooLong { limit: usize },
    #[error("unsupported content type; send application/json")]
    UnsupportedMediaType,
    #[error("no answer here suits this Accept-Encoding: answers come uncompressed, gzip or deflate")]
    NotAcceptable,
    #[error("the query string is invalid: {0}")]
    InvalidQuery(String),
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    /// A planning or business rule is broken; the first error's code is the problem's code.
    #[error("{}", .0.first().map(|e| e.message.as_str()).unwrap_or("a rule is broken"))]
    Rules(Vec<FieldError>),
    #[error("authentication required")]
    Unauthenticated,
    #[error("the access token is invalid or expired")]
    InvalidToken,
    #[error("email address or password is wrong")]
    InvalidCredentials,
    #[error("the refresh token is invalid, expired or revoked")]
    InvalidRefreshToken,
    #[error("the Idempotency-Key header must be 1 to 255 visible ASCII characters")]
    InvalidIdempotencyKey,
    #[error("this Idempotency-Key was used before for a different request")]
    IdempotencyKeyReused,
    #[error("a request with this Idempotency-Key is being handled; retry shortly")]
    IdempotencyRace,
    #[error("this link or code is invalid, expired or already used")]
    ActionTokenInvalid,
    #[error("you do not have access to this resource")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The address exists, but not with this method; `allow` lists the ones it takes.
    #[error("{method} is not used at this address; it takes {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("the database is unavailable; try again shortly")]
    DatabaseUnavailable,
    #[error("the request body did not arrive within {secs} seconds")]
    RequestTimeout { secs: u64 },
    /// A request that cannot be read, with its own code (a bad webhook signature).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// A service we depend on is switched off or did not answer in time. When it is a
    /// passing fault, `retry_after_secs` tells the client when to try again.
    #[error("{detail}")]
    Unavailable {
        code: &'static str,
        detail: String,
        retry_after_secs: Option<u64>,
    },
    /// A service we depend on answered with an error.
    #[error("{detail}")]
    BadGateway { code: &'static str, detail: String },
    /// Another request wrote the same thing at the same moment and the database caught
    /// it (a unique index, or PostgreSQL failing to serialise): nothing was written, and
    /// asked again the request gets the answer it would have had after the other. The
    /// use cases that can race lock first; this is the answer for a race none foresaw.
    #[error("another change to the same record came at the same moment: nothing was changed; try again")]
    ChangedConcurrently(#[source] diesel::result::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// What a `503 database_unavailable` tells the client to wait before trying again.
pub const DATABASE_RETRY_AFTER_SECS: u64 = 5;

/// The problem document as sent (and as documented in the OpenAPI contract).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(e.into())
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn validation(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidBody(_) => "invalid_body",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::HeadersTooLarge { .. } => "headers_too_large",
            ApiError::UriTooLong { .. } => "uri_too_long",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::NotAcceptable => "not_acceptable",
            ApiError::InvalidQuery(_) => "invalid_query",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Rules(errors) => errors.first().map_or("rule_broken", |e| e.code),
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidToken => "invalid_token",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::InvalidRefreshToken => "invalid_refresh_token",
            ApiError::ActionTokenInvalid => "invalid_or_expired_token",
            ApiError::InvalidIdempotencyKey => "invalid_idempotency_key",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::IdempotencyRace => "idempotency_in_progress",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::EmailTaken => "email_taken",
            ApiError::Conflict { code, .. } => code,
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::RequestTimeout { .. } => "request_timeout",
            ApiError::DatabaseUnavailable => "database_unavailable",
            ApiError::Unavailable { code, .. }
            | ApiError::BadGateway { code, .. }
            | ApiError::BadRequest { code, .. } => code,
            ApiError::ChangedConcurrently(_) => "changed_concurrently",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self.status_code() {
            StatusCode::BAD_REQUEST => "Bad request",
            StatusCode::UNAUTHORIZED => "Unauthorized",
            StatusCode::FORBIDDEN => "Forbidden",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
            StatusCode::NOT_ACCEPTABLE => "Not acceptable",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::PAYLOAD_TOO_LARGE => "Payload too large",
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "Request header fields too large",
            StatusCode::URI_TOO_LONG => "URI too long",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
            StatusCode::UNPROCESSABLE_ENTITY => "Unprocessable request",
            StatusCode::TOO_MANY_REQUESTS => "Too many requests",
            StatusCode::REQUEST_TIMEOUT => "Request timeout",
            StatusCode::SERVICE_UNAVAILABLE => "Service unavailable",
            StatusCode::BAD_GATEWAY => "Bad gateway",
            _ => "Internal server error",
        }
    }

    pub fn problem(&self) -> Problem {
        let code = self.code();
        Problem {
            type_: format!("https://servicepunt.example/problems/{}", code.replace('_', "-")),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            // Internal errors keep their cause out of the body; it is logged instead.
            detail: self.to_string(),
            code: code.to_owned(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::Rules(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_)
            | ApiError::InvalidBody(_)
            | ApiError::InvalidQuery(_)
            | ApiError::ActionTokenInvalid
            | ApiError::InvalidIdempotencyKey
            | ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            ApiError::Validation(_) | ApiError::Rules(_) | ApiError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unauthenticated
            | ApiError::InvalidToken
            | ApiError::InvalidCredentials
            | ApiError::InvalidRefreshToken => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::EmailTaken
            | ApiError::Conflict { .. }
            | ApiError::IdempotencyRace
            | ApiError::ChangedConcurrently(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::DatabaseUnavailable | ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(error.cause_chain = ?cause, "unexpected error"),
            // The constraint's name only: the database's message can hold the values.
            ApiError::ChangedConcurrently(diesel::result::Error::DatabaseError(kind, info)) => {
                tracing::warn!(?kind, constraint = info.constraint_name(), "a race no lock foresaw");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::TooManyRequests { retry_after_secs }
            | ApiError::Unavailable {
                retry_after_secs: Some(retry_after_secs),
                ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // Usually a passing outage (a restart, a full pool): a client may try again soon.
            ApiError::DatabaseUnavailable => {
                response.insert_header((header::RETRY_AFTER, DATABASE_RETRY_AFTER_SECS.to_string()));
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::Unauthenticated | ApiError::InvalidToken => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            // The rest of the body is not read: the connection cannot carry another request.
            ApiError::RequestTimeout { .. } => {
                response.insert_header((header::CONNECTION, "close"));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

/// PostgreSQL ended the transaction to break a deadlock (SQLSTATE 40P01, which diesel
/// does not name, so its English message tells; the server warns at start when the
/// database writes another language, see `db::errors_in_english`): a race between two
/// writers, as a serialisation failure is, and nothing of it was written.
fn is_deadlock(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::Unknown, info)
        if info.message().starts_with("deadlock detected"))
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        if is_deadlock(&e) {
            return ApiError::ChangedConcurrently(e);
        }
        match e {
            diesel::result::Error::NotFound => ApiError::NotFound,
            // The connection broke under a running query: the database went away.
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ClosedConnection, _) => {
                ApiError::DatabaseUnavailable
            }
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation
                | diesel::result::DatabaseErrorKind::SerializationFailure,
                _,
            ) => ApiError::ChangedConcurrently(e),
            other => ApiError::Internal(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};

    use super::*;

    /// What the database said.
    struct Caught(&'static str);

    const DUPLICATE: Caught = Caught("duplicate key value violates unique constraint");

    impl DatabaseErrorInformation for Caught {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            Some("Key (email)=(someone@example.nl) already exists.")
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            Some("users")
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some("users_email_key")
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn a_race_the_database_caught_is_a_conflict_that_names_no_values() {
        for kind in [
            DatabaseErrorKind::UniqueViolation,
            DatabaseErrorKind::SerializationFailure,
        ] {
            let e = ApiError::from(Error::DatabaseError(kind, Box::new(DUPLICATE)));
            assert_eq!(e.status_code(), StatusCode::CONFLICT);
            let problem = e.problem();
            assert_eq!(problem.code, "changed_concurrently");
            assert!(!problem.detail.contains("someone@example.nl"), "{}", problem.detail);
        }
        let other = ApiError::from(Error::DatabaseError(
            DatabaseErrorKind::CheckViolation,
            Box::new(DUPLICATE),
        ));
        assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_deadlock_postgresql_broke_is_a_conflict_to_try_again() {
        let deadlock = ApiError::from(Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Caught("deadlock detected")),
        ));
        assert_eq!(deadlock.status_code(), StatusCode::CONFLICT);
        assert_eq!(deadlock.problem().code, "changed_concurrently");
        let unknown = ApiError::from(Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Caught("division by zero")),
        ));
        assert_eq!(unknown.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}

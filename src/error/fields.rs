//! Errors about single fields of a request: one field's error as the client sees it, the
//! problem a value parser reports, and the list collected while a body is parsed.

use serde::Serialize;
use utoipa::ToSchema;

use super::ApiError;

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the offending field in the request body, e.g. `address.postcode`.
    pub field: String,
    /// Stable code, e.g. `invalid_postcode`.
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Collects field errors while a request body is parsed into domain values.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the problem of a parsed value, if any. Once `into_result` has passed, the
    /// caller unwraps each result with `?` knowing none of them fails.
    pub fn note<T>(&mut self, field: &str, parsed: &Result<T, FieldProblem>) {
        if let Err(p) = parsed {
            self.0.push(FieldError::new(field, p.code, p.message.clone()));
        }
    }

    pub fn push(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// A free-text field, trimmed: `None` when blank (an error `required` with `hint` if
    /// given) or longer than `max` characters (`too_long`).
    pub fn text(&mut self, field: &str, raw: &str, required: Option<&str>, max: usize) -> Option<String> {
        let t = raw.trim();
        if t.is_empty() {
            if let Some(hint) = required {
                self.push(field, "required", hint);
            }
            return None;
        }
        if t.chars().count() > max {
            self.push(field, "too_long", format!("at most {max} characters"));
            return None;
        }
        Some(t.to_owned())
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// Why a single value failed to parse; the caller knows the field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub code: &'static str,
    pub message: String,
}

impl FieldProblem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<FieldProblem> for ApiError {
    fn from(p: FieldProblem) -> Self {
        ApiError::Validation(vec![FieldError::new("", p.code, p.message)])
    }
}

//! The ids of a request that acts on several records at once (pure).

use std::collections::HashSet;

use crate::error::ApiError;

/// Checks a batch's `ids` before anything is read: at least one, at most `max`, none
/// twice (422 on `ids`: `required`, `too_many`, or `duplicate_code`). `noun` names one
/// record ("log", "message").
pub fn check_ids(ids: &[i64], max: usize, noun: &str, duplicate_code: &'static str) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Err(ApiError::validation(
            "ids",
            "required",
            format!("name at least one {noun}"),
        ));
    }
    if ids.len() > max {
        return Err(ApiError::validation(
            "ids",
            "too_many",
            format!("at most {max} {noun}s at once"),
        ));
    }
    let mut seen = HashSet::new();
    match ids.iter().find(|id| !seen.insert(**id)) {
        Some(twice) => Err(ApiError::validation(
            "ids",
            duplicate_code,
            format!("{noun} {twice} is named twice"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check_ids;
    use crate::error::ApiError;

    fn code(result: Result<(), ApiError>) -> String {
        match result {
            Err(ApiError::Validation(errors)) => errors[0].code.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_batch_names_one_to_max_records_once_each() {
        assert!(check_ids(&[3], 2, "log", "duplicate_log").is_ok());
        assert!(check_ids(&[3, 4], 2, "log", "duplicate_log").is_ok());
        assert_eq!(code(check_ids(&[], 2, "log", "duplicate_log")), "required");
        assert_eq!(code(check_ids(&[1, 2, 3], 2, "log", "duplicate_log")), "too_many");
        assert_eq!(
            code(check_ids(&[4, 4], 2, "message", "duplicate_call")),
            "duplicate_call"
        );
    }
}

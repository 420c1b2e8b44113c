//! `Query`, the extractor every query string goes through. It reads like actix's
//! `web::Query`, and a parameter it cannot read is named in the problem document
//! ("from: input contains invalid characters"), as a body's field is (see `request_body`).

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A query string, deserialised into `T`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.query_string()).map(Query))
    }
}

/// `query` read into `T`; what could not be read is a 400 `invalid_query` naming it.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let parameters = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(parameters).map_err(|e| ApiError::InvalidQuery(named(e.path(), e.inner())))
}

/// serde's complaint, after the place it arose unless that is the whole input
/// ("missing field `from`" is about the query as a whole).
pub fn named(at: &serde_path_to_error::Path, err: &impl std::fmt::Display) -> String {
    if at.iter().next().is_none() {
        err.to_string()
    } else {
        format!("{at}: {err}")
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Period {
        #[serde(deserialize_with = "crate::dates::in_range")]
        from: NaiveDate,
        per_page: Option<u32>,
    }

    fn problem(query: &str) -> String {
        match parse::<Period>(query) {
            Err(ApiError::InvalidQuery(reason)) => reason,
            other => panic!("not an invalid query: {other:?}"),
        }
    }

    #[test]
    fn a_parameter_it_cannot_read_is_named() {
        let read: Period = parse("from=2026-12-07&per_page=20").unwrap();
        assert_eq!((read.from.to_string(), read.per_page), ("2026-12-07".into(), Some(20)));
        assert_eq!(problem("from=soon"), "from: input contains invalid characters");
        assert_eq!(
            problem("from=2026-12-07&per_page=lots"),
            "per_page: invalid digit found in string"
        );
        assert_eq!(
            problem("from=3026-01-01"),
            "from: dates run from 1900 to 2199, not year 3026"
        );
        assert_eq!(problem("per_page=1"), "missing field `from`");
    }
}

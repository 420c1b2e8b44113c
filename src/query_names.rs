//! The query parameters each operation reads, from the API contract: a request that sends
//! one it does not read gets `400 invalid_query` naming it and those it takes. A misspelt
//! or guessed parameter (`?date=` where the board takes `?from=`) would otherwise be
//! ignored without a word, and the caller shown something else than they asked for.

use std::collections::HashMap;

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi, RefOr};

use crate::error::ApiError;

/// For each route pattern, its methods and the names of their query parameters.
#[derive(Debug, Default)]
pub struct QueryNames {
    routes: HashMap<String, Vec<(&'static str, Vec<String>)>>,
}

impl QueryNames {
    pub fn from_document(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let operations = crate::allowed_methods::operations(item)
                    .filter_map(|(method, operation)| Some((method, names(operation)?)))
                    .collect();
                (path.clone(), operations)
            })
            .collect();
        Self { routes }
    }

    /// The parameters the operation at `pattern` with `method` reads; `None` for one the
    /// contract does not describe (`/openapi.json`, the contract itself).
    pub fn of(&self, pattern: &str, method: &str) -> Option<&[String]> {
        let operations = self.routes.get(pattern)?;
        let (_, names) = operations.iter().find(|(m, _)| *m == method)?;
        Some(names)
    }
}

/// The query parameters of `operation`; `None` when one is a reference (the contract
/// has none), which leaves the operation unchecked rather than refuse what it reads.
fn names(operation: &Operation) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for parameter in operation.parameters.iter().flatten() {
        match parameter {
            RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query) => names.push(p.name.clone()),
            RefOr::T(_) => {}
            RefOr::Ref(_) => return None,
        }
    }
    Some(names)
}

/// The first parameter in `query` that is not among `takes`, and what to say about it.
pub fn unknown(query: &str, takes: &[String]) -> Option<String> {
    let (sent, _) = form_urlencoded::parse(query.as_bytes()).find(|(name, _)| !takes.iter().any(|t| t == name))?;
    Some(if takes.is_empty() {
        format!("{sent}: not a parameter here; this address takes none")
    } else {
        format!("{sent}: not a parameter here; this address takes {}", takes.join(", "))
    })
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !req.query_string().is_empty()
        && let Some(names) = req.app_data::<web::Data<QueryNames>>()
        && let Some(pattern) = crate::routed_path::pattern(req.request())
        && let Some(takes) = names.of(&pattern, req.method().as_str())
        && let Some(reason) = unknown(req.query_string(), takes)
    {
        req.extensions_mut().insert(crate::routed_path::RefusedAt(pattern));
        return Ok(req.error_response(ApiError::InvalidQuery(reason)));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::unknown;

    fn takes(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_parameter_the_address_does_not_read_is_named_with_those_it_does() {
        let board = takes(&["from", "to"]);
        assert_eq!(unknown("from=2026-12-14&to=2026-12-18", &board), None);
        assert_eq!(
            unknown("from=2026-12-14&from=2026-12-15", &board),
            None,
            "twice is the parser's to judge"
        );
        assert_eq!(
            unknown("date=2026-12-14", &board).as_deref(),
            Some("date: not a parameter here; this address takes from, to")
        );
        assert_eq!(
            unknown("page=2", &[]).as_deref(),
            Some("page: not a parameter here; this address takes none")
        );
        assert_eq!(unknown("fr%6Fm=2026-12-14", &board), None, "read as decoded");
    }
}

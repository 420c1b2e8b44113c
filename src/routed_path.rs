//! The path as the router matches it. actix routes on the path with percent-encoded
//! characters decoded (all but `%`, `/` and `+`), while `HttpRequest::path()` is the path
//! as sent: `GET /api/v1/%72esidents/3` is answered by `/residents/{id}`. A check that
//! decides by path before routing (the audit log, the public rate limits) must read the
//! routed form, or an encoded letter walks past it.

use actix_web::{HttpMessage, HttpRequest};

/// The request's path, decoded as the router decodes it.
pub fn of(req: &HttpRequest) -> &str {
    req.match_info().as_str()
}

/// The route pattern the request will be matched to (e.g. `/api/v1/residents/{id}`), also
/// before routing; `None` when no route takes its path.
pub fn pattern(req: &HttpRequest) -> Option<String> {
    req.resource_map().match_pattern(of(req))
}

/// The route pattern of a request refused before routing, for its log line and metrics:
/// set by the check that refused it, which had found the pattern already.
#[derive(Debug, Clone)]
pub struct RefusedAt(pub String);

/// The pattern the request was routed to, or refused at before routing.
pub fn answered_at(req: &HttpRequest) -> Option<String> {
    req.match_pattern()
        .or_else(|| req.extensions().get::<RefusedAt>().map(|r| r.0.clone()))
}

//! The path as the router matches it. actix routes on the path with percent-encoded
//! characters decoded (all but `%`, `/` and `+`), while `HttpRequest::path()` is the path
//! as sent: `GET /api/v1/%72esidents/3` is answered by `/residents/{id}`. A check that
//! decides by path before routing (the audit log, the public rate limits) must read the
//! routed form, or an encoded letter walks past it.

use actix_web::HttpRequest;

/// The request's path, decoded as the router decodes it.
pub fn of(req: &HttpRequest) -> &str {
    req.match_info().as_str()
}

/// The route pattern the request will be matched to (e.g. `/api/v1/residents/{id}`), also
/// before routing; `None` when no route takes its path.
pub fn pattern(req: &HttpRequest) -> Option<String> {
    req.resource_map().match_pattern(of(req))
}

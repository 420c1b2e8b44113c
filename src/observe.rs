//! The outermost middleware: a request id for every request (taken from `x-request-id` when
//! the caller sent a sane one, echoed back), a tracing span carrying it, one log line per
//! request, and the metrics.
//!
//! The log line has method, route pattern, status and latency — no query string, no
//! client address, no body — so no personal data reaches the logs this way.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use tracing::Instrument;

use crate::metrics::Metrics;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let method = req.method().to_string();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    // The route is known cheaply only once the request has been routed (before that,
    // finding it means trying every route's pattern once more), so it is a field of the
    // line written after the call, not of the span: no line inside the call could have
    // had it, and recording a field into a span rewrites the span's stored fields.
    let span = tracing::info_span!("request", request_id = %request_id, method = %method);

    let started = Instant::now();
    // Handler and extractor errors arrive here as responses already; an `Err` comes only
    // from inner middleware, and actix renders it after us (without the request id).
    // The request must not be cloned before routing, so there is no way to build it here.
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let (status, route) = match &result {
        Ok(response) => (
            response.status().as_u16(),
            crate::routed_path::answered_at(response.request()),
        ),
        Err(error) => (error.as_response_error().status_code().as_u16(), None),
    };
    let route = route.unwrap_or_else(|| "unmatched".to_owned());
    span.in_scope(|| {
        tracing::info!(
            route,
            status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request handled"
        )
    });
    if let Some(metrics) = metrics {
        metrics.record(&method, &route, status, elapsed);
    }
    let mut response = result?.map_into_boxed_body();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn request_ids_are_bounded_and_plain() {
        assert!(acceptable("3f2a-11.x_y"));
        assert!(!acceptable(""));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("a b"));
        assert!(!acceptable("a\nb"));
    }
}

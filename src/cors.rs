//! CORS for the configured front-end origins only. A browser request from one of them
//! gets the `Access-Control-Allow-*` headers and its preflight a 204; from any other
//! origin it gets none, so the browser keeps the answer from the page. Requests without an
//! `Origin` (the mobile app, curl, servers) are not affected.

use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

/// The allowed origins, as configured.
#[derive(Debug, Clone, Default)]
pub struct AllowedOrigins(pub Arc<Vec<String>>);

const METHODS: &str = "GET, POST, PATCH, PUT, DELETE";
const HEADERS: &str = "Authorization, Content-Type, Accept, Idempotency-Key, X-Request-Id";
const EXPOSED: &str = "Retry-After, X-Request-Id, Content-Disposition";

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = match (&origin, req.app_data::<web::Data<AllowedOrigins>>()) {
        (Some(o), Some(list)) => list.0.iter().any(|a| a == o),
        _ => false,
    };
    let Some(origin) = origin.filter(|_| allowed) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let value = HeaderValue::from_str(&origin).ok();
    if req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        let mut preflight = HttpResponse::NoContent();
        if let Some(v) = value {
            preflight
                .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, v))
                .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, METHODS))
                .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, HEADERS))
                .insert_header((header::ACCESS_CONTROL_MAX_AGE, "3600"))
                .insert_header((header::VARY, "Origin"));
        }
        return Ok(req.into_response(preflight.finish()));
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    if let Some(v) = value {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED));
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    Ok(response)
}

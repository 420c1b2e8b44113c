//! `HEAD` is answered as `GET` without the body (RFC 9110 §9.3.2): a client can ask
//! whether something is there, how big it is and its `ETag` without fetching it. The
//! route runs as for `GET` (reads audited alike); actix-http leaves the body off the wire
//! because the request on the connection was `HEAD`, and keeps its `Content-Length`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
        req.extensions_mut().insert(AskedHead);
    }
    next.call(req).await
}

/// Marks a request that came as `HEAD`.
#[derive(Debug, Clone, Copy)]
pub struct AskedHead;

/// The method the client sent.
pub fn method_sent(req: &actix_web::HttpRequest) -> Method {
    if req.extensions().contains::<AskedHead>() {
        Method::HEAD
    } else {
        req.method().clone()
    }
}

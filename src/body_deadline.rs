//! A deadline on reading a request body. actix times out a slow request head
//! (`client_request_timeout`) but not a body: a client that declares a body and then
//! sends it a byte at a time would hold its connection and its handler forever. Here a
//! body must arrive within `SERVICEPUNT_BODY_TIMEOUT_SECS` of the head; otherwise the
//! request is answered `408 request_timeout` and the connection closed. Nothing has been
//! written by then: handlers read their body before they touch the database.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, ResponseError, web};
use futures_core::Stream;

use crate::error::ApiError;

/// How long a body may take, as configured.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// The body as it arrives, until the deadline; then an error, and `expired` is set.
struct Deadline {
    inner: Payload,
    sleep: Pin<Box<tokio::time::Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.expired.get() {
            return Poll::Ready(None);
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.expired.set(true);
                let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body too slow");
                Poll::Ready(Some(Err(PayloadError::Io(late))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Whether the request says a body follows (a length above zero, or chunks).
fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let timeout = req.app_data::<web::Data<BodyTimeout>>().map(|t| t.0);
    let Some(timeout) = timeout.filter(|_| has_body(&req)) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let expired = Rc::new(Cell::new(false));
    let body = Deadline {
        inner: req.take_payload(),
        sleep: Box::pin(tokio::time::sleep(timeout)),
        expired: expired.clone(),
    };
    req.set_payload(Payload::from(Box::pin(body) as Pin<Box<dyn Stream<Item = _>>>));
    let response = next.call(req).await?;
    if !expired.get() {
        return Ok(response.map_into_boxed_body());
    }
    // Whatever the extractor made of the cut-off body, the answer is that it was too slow.
    let error = ApiError::RequestTimeout {
        secs: timeout.as_secs(),
    };
    let (req, _) = response.into_parts();
    Ok(ServiceResponse::new(req, error.error_response()))
}

//! What a request body that cannot be read is answered with, whichever extractor reads
//! it: JSON (through `JsonConfig`'s error handler) or raw bytes (`RawBody`, for the
//! Stripe webhook, whose signature is over the exact bytes). Without this, actix answers
//! a body that is too large or not encoded as its `Content-Encoding` says with plain
//! text and its own debug output.

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::{FromRequest, HttpRequest, web};
use futures_core::future::LocalBoxFuture;

use crate::error::ApiError;

/// The largest body accepted, as configured (`max_body_bytes`).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

fn limit(req: &HttpRequest) -> usize {
    req.app_data::<BodyLimit>().map_or(0, |l| l.0)
}

/// A body that did not arrive whole: too large, cut short, or not decodable.
pub fn unreadable(err: &PayloadError, limit: usize) -> ApiError {
    match err {
        PayloadError::Overflow => ApiError::PayloadTooLarge { limit },
        _ => ApiError::BadRequest {
            code: "unreadable_body",
            detail: "the request body could not be read: it was cut short, or it is not encoded as its \
                     Content-Encoding header says"
                .into(),
        },
    }
}

/// The handler of `web::JsonConfig`.
pub fn json_error(err: JsonPayloadError, req: &HttpRequest) -> actix_web::Error {
    let api = match err {
        JsonPayloadError::Overflow { limit } | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::InvalidBody(e.to_string()),
        JsonPayloadError::Deserialize(e) => ApiError::MalformedJson(e.to_string()),
        JsonPayloadError::Payload(e) => unreadable(&e, limit(req)),
        other => ApiError::MalformedJson(other.to_string()),
    };
    api.into()
}

/// The body's bytes, up to the configured limit; failures are problem documents.
pub struct RawBody(pub web::Bytes);

impl FromRequest for RawBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = limit(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            bytes
                .await
                .map(RawBody)
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(payload) => unreadable(payload, limit),
                    None => ApiError::Internal(anyhow::anyhow!("reading a request body: {e}")),
                })
        })
    }
}

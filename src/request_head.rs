//! What the head of a request may hold, checked before the route runs.
//!
//! - Headers adding up to at most `MAX_HEADER_BYTES`. actix refuses a head over 128 KiB
//!   or with more than 96 headers itself, with a bare 431 and a closed connection; below
//!   that, larger headers are answered here with a problem document. Real clients send
//!   far less: an access token is about 400 bytes.
//! - An address (path and query) of at most `MAX_TARGET_BYTES`, as most proxies allow:
//!   every address and search here fits in a few hundred bytes.
//! - At most one of each header that names one thing (`ONCE`): two `Authorization`
//!   headers were served with the first, two `Idempotency-Key`s retried a sale under the
//!   first key; a proxy may have read the other. Which one was meant is not guessed.
//! - An `Accept-Encoding` that some answer suits: uncompressed, gzip or deflate, the
//!   codings `Compress` (wrapped inside this check) can give. Refusing them all
//!   (`*;q=0`) was answered by `Compress` itself, with a bare 406 and no security headers.
//! - No NUL character (`%00`) in the path or query: PostgreSQL cannot compare or store
//!   text holding it (a search for `?name=a%00b` was a 500 there), and no address or
//!   search here has a use for it. JSON bodies are checked by `request_body::Json`.

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptEncoding, Encoding, HeaderMap, HeaderName};
use actix_web::middleware::Next;

use crate::error::ApiError;

pub const MAX_HEADER_BYTES: usize = 16 * 1024;
pub const MAX_TARGET_BYTES: usize = 8 * 1024;

/// Headers a request may carry at most once. (actix refuses a second `Host` or
/// `Content-Length` itself.)
static ONCE: [HeaderName; 4] = [
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    HeaderName::from_static("idempotency-key"),
    HeaderName::from_static("stripe-signature"),
];

/// The content codings an answer can come in: `Compress`'s, with actix's `compress-gzip`.
static CODINGS: [Encoding; 3] = [Encoding::identity(), Encoding::gzip(), Encoding::deflate()];

fn repeated(headers: &HeaderMap) -> Option<&'static str> {
    ONCE.iter()
        .find(|name| headers.get_all(*name).nth(1).is_some())
        .map(HeaderName::as_str)
}

/// The headers' size as sent: each name, `: `, its value and the line end.
fn size(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// Whether a request target, as sent (percent-encoded), holds an encoded NUL.
fn target_holds_nul(target: &str) -> bool {
    target.as_bytes().windows(3).any(|w| w == b"%00")
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if size(req.headers()) > MAX_HEADER_BYTES {
        return Ok(req.error_response(ApiError::HeadersTooLarge {
            limit: MAX_HEADER_BYTES,
        }));
    }
    if let Some(name) = repeated(req.headers()) {
        return Ok(req.error_response(ApiError::BadRequest {
            code: "duplicate_header",
            detail: format!("send the {name} header once"),
        }));
    }
    if req
        .get_header::<AcceptEncoding>()
        .is_some_and(|accept| accept.negotiate(CODINGS.iter()).is_none())
    {
        return Ok(req.error_response(ApiError::NotAcceptable));
    }
    let target = req.uri().path_and_query().map_or("", |p| p.as_str());
    if target.len() > MAX_TARGET_BYTES {
        return Ok(req.error_response(ApiError::UriTooLong {
            limit: MAX_TARGET_BYTES,
        }));
    }
    if target_holds_nul(target) {
        return Ok(req.error_response(ApiError::BadRequest {
            code: "invalid_character",
            detail: "the address may not hold the NUL character (%00)".into(),
        }));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    #[test]
    fn counts_names_values_and_separators() {
        let mut headers = HeaderMap::new();
        headers.insert(HeaderName::from_static("accept"), HeaderValue::from_static("*/*"));
        headers.append(HeaderName::from_static("x-a"), HeaderValue::from_static("1"));
        headers.append(HeaderName::from_static("x-a"), HeaderValue::from_static("22"));
        assert_eq!(size(&headers), (6 + 3 + 4) + (3 + 1 + 4) + (3 + 2 + 4));
    }

    #[test]
    fn a_header_naming_one_thing_is_sent_once() {
        let mut headers = HeaderMap::new();
        headers.append(header::AUTHORIZATION, HeaderValue::from_static("Bearer a"));
        headers.append(header::ACCEPT, HeaderValue::from_static("text/html"));
        headers.append(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert_eq!(repeated(&headers), None, "Accept may be a list");
        headers.append(
            HeaderName::from_static("idempotency-key"),
            HeaderValue::from_static("k1"),
        );
        headers.append(
            HeaderName::from_static("idempotency-key"),
            HeaderValue::from_static("k2"),
        );
        assert_eq!(repeated(&headers), Some("idempotency-key"));
    }

    #[test]
    fn an_encoded_nul_anywhere_in_the_target_is_found() {
        assert!(target_holds_nul("/api/v1/residents?name=a%00b"));
        assert!(target_holds_nul("/api/v1/cheques/a%00"));
        assert!(
            !target_holds_nul("/api/v1/residents?name=a%2500b"),
            "an encoded % then 00"
        );
        assert!(!target_holds_nul("/api/v1/residents?name=100%20procent"));
    }
}

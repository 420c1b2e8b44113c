//! A limit on the size of a request's headers. actix refuses a head over 128 KiB or with
//! more than 96 headers itself, with a bare 431 and a closed connection; below that,
//! headers that add up to more than `MAX_HEADER_BYTES` are answered here with a problem
//! document, before the route runs. Real clients send far less: an access token is
//! about 400 bytes.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;

use crate::error::ApiError;

pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The headers' size as sent: each name, `: `, its value and the line end.
fn size(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
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
}

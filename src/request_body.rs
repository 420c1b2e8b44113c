//! Request bodies: `Json`, the extractor every JSON endpoint uses, and `RawBody`, the
//! bytes as sent (the Stripe webhook, whose signature is over the exact bytes). Both
//! answer a body that is too large, cut short or not encoded as its `Content-Encoding`
//! says with a problem document; actix alone answers plain text with its debug output.
//!
//! `Json` reads like actix's `web::Json` (content type, size limit, compression) and
//! also refuses text holding the NUL character: PostgreSQL cannot store it (the insert
//! failed with a 500), SQLite would store it, and no text here has a use for it.

use std::ops::{Deref, DerefMut};

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::{FromRequest, HttpMessage, HttpRequest, mime, web};
use futures_core::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::request_query::named;

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

/// A JSON request body, deserialised into `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let mime = req.mime_type().ok().flatten();
    mime.is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
}

/// Whether valid JSON text holds an escaped NUL (`\u0000`) in one of its strings; raw
/// control characters are not valid JSON, and a backslash outside a string neither.
fn holds_nul(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json.get(i + 1..i + 6) == Some(b"u0000") {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !is_json(req) {
            return Box::pin(std::future::ready(Err(ApiError::UnsupportedMediaType)));
        }
        let body = RawBody::from_request(req, payload);
        Box::pin(async move {
            let RawBody(bytes) = body.await?;
            let value = parse(&bytes)?;
            if holds_nul(&bytes) {
                return Err(ApiError::BadRequest {
                    code: "invalid_character",
                    detail: "text in the request may not hold the NUL character (\\u0000)".into(),
                });
            }
            Ok(Json(value))
        })
    }
}

/// `bytes` read into `T`: a value of the wrong kind is `invalid_body` naming its field
/// ("windows[0].date: input contains invalid characters at line 1 column 40"), text that is
/// not JSON `malformed_json`. Every body here is an object: serde would read an array
/// into a struct by position (`["a@b.nl"]` as `{"email": "a@b.nl"}`), so anything else
/// is `invalid_body` too.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
        if e.inner().is_data() {
            ApiError::InvalidBody(named(e.path(), e.inner()))
        } else {
            ApiError::MalformedJson(e.inner().to_string())
        }
    })?;
    json.end().map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::InvalidBody(
            "a JSON object ({…}) is expected, not a list or a single value".into(),
        ));
    }
    Ok(value)
}

/// A body taken whole first (`Json<serde_json::Value>`: to fingerprint it for its
/// idempotency key, or to check who may ask before reading it) read into `T`, its wrong
/// field named as [`Json`] names it.
pub fn from_value<T: DeserializeOwned>(body: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(body).map_err(|e| ApiError::InvalidBody(named(e.path(), e.inner())))
}

/// The handler of `web::JsonConfig`, for a `web::Json` extractor should one be used;
/// this crate's handlers take [`Json`].
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

#[cfg(test)]
mod tests {
    use super::holds_nul;

    #[test]
    fn finds_an_escaped_nul_only_where_it_is_one() {
        assert!(holds_nul(br#"{"reason": "a\u0000b"}"#));
        assert!(holds_nul(br#"["\\\u0000"]"#), "an escaped backslash, then the NUL");
        assert!(
            !holds_nul(br#"{"reason": "a\\u0000b"}"#),
            "a backslash, then the text u0000"
        );
        assert!(holds_nul(br#"{"reason": "\u00001"}"#), "a NUL, then a digit");
        assert!(
            !holds_nul(br#"{"reason": "\u0001"}"#),
            "other control characters are the fields' business"
        );
        assert!(!holds_nul(br#"{"reason": "\u0020\n\"\\"}"#));
        assert!(!holds_nul(b"{}"));
    }
}

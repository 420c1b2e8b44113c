//! `Idempotency-Key`: mobile networks retry, so a POST that creates a job or moves money
//! may arrive twice. The first response to a key is stored in the same transaction as the
//! work; a retry with the same key and body gets that response again (with
//! `Idempotent-Replayed: true`), the same key with another body or address gets 422.
//!
//! Two racing requests with one key: on SQLite the write lock orders them; on PostgreSQL
//! each keyed transaction first takes an advisory lock on the key ([`claim`]). Either
//! way the second finds the first's stored response once the first commits, or does the
//! work itself if the first failed. The unique index on the key stays as a last guard.
//!
//! A stored response is a copy of what the request created — a job's address and task, a
//! sale — so it is kept only as long as a retry can come: [`KEPT_FOR_HOURS`] (as Stripe
//! keeps its keys), after which the timers delete it, and at once when the account that
//! made it is erased.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sha2::{Digest, Sha256};

use crate::db::schema::idempotency_keys;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiError;

pub const HEADER: &str = "Idempotency-Key";

/// The keys [`key_of`] takes, for the contract (`pattern` of the header): 1 to 255
/// visible ASCII characters. A client that draws a UUID fits.
pub const KEY_PATTERN: &str = r"^[!-~]{1,255}$";

/// The `Idempotency-Key` header in the contract of every operation that honours it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct KeyHeader {
    /// Makes retries safe: 1 to 255 visible ASCII characters; the first answer is replayed to a retry for 24 hours
    #[param(
        rename = "Idempotency-Key",
        pattern = r"^[!-~]{1,255}$",
        min_length = 1,
        max_length = 255
    )]
    pub key: Option<String>,
}

/// How long a stored response is replayed to a retry.
pub const KEPT_FOR_HOURS: i64 = 24;
pub const REPLAYED: &str = "Idempotent-Replayed";

/// The key a request carries, if any, checked for shape.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::InvalidIdempotencyKey);
    }
    Ok(Some(key.to_owned()))
}

/// A keyed request's parts: its key (checked for shape), its fingerprint, and the body
/// read as `T` (400 `invalid_body` when it is not one; a request without a body is read
/// from `null`, as `()`).
pub fn keyed<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    body: serde_json::Value,
) -> Result<(Option<String>, String, T), ApiError> {
    let key = key_of(req)?;
    let hash = fingerprint(&format!("{} {}", req.method(), req.path()), &body);
    let input = crate::request_body::from_value(body)?;
    Ok((key, hash, input))
}

/// A fingerprint of a request: its method and address (`POST /api/v1/jobs/7/confirm`),
/// so that one key cannot stand for the same body sent to two jobs or cheques, and its
/// body (its JSON in canonical key order).
pub fn fingerprint(target: &str, body: &serde_json::Value) -> String {
    let mut hash = Sha256::new();
    hash.update(target.as_bytes());
    hash.update(b"\n");
    hash.update(body.to_string().as_bytes());
    hex::encode(hash.finalize())
}

#[derive(Debug, Clone, Queryable)]
struct Stored {
    request_hash: String,
    status_code: i64,
    response_body: String,
}

fn find(conn: &mut DbConn, user_id: i64, key: &str) -> QueryResult<Option<Stored>> {
    idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::idem_key.eq(key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::status_code,
            idempotency_keys::response_body,
        ))
        .first(conn)
        .optional()
}

fn save(
    conn: &mut DbConn,
    user_id: i64,
    key: &str,
    hash: &str,
    status: StatusCode,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::status_code.eq(i64::from(status.as_u16())),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes the stored responses past [`KEPT_FOR_HOURS`].
pub fn remove_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let cutoff = now - chrono::Duration::hours(KEPT_FOR_HOURS);
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff))).execute(conn)
}

/// Deletes the responses stored for an account's requests (its erasure).
pub fn forget_account(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::user_id.eq(user_id))).execute(conn)
}

fn replay(stored: Stored, hash: &str, located_in: Option<&str>) -> Result<HttpResponse, ApiError> {
    if stored.request_hash != hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    let status = u16::try_from(stored.status_code)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    Ok(respond(status, stored.response_body, located_in, true))
}

/// The answer, first or replayed: a 201 in a collection (`located_in`) says with
/// `Location` where the new thing is, by the `id` its body carries.
fn respond(status: StatusCode, body: String, located_in: Option<&str>, replayed: bool) -> HttpResponse {
    let mut answer = HttpResponse::build(status);
    answer.content_type("application/json");
    if replayed {
        answer.insert_header((REPLAYED, "true"));
    }
    if status == StatusCode::CREATED
        && let Some(collection) = located_in
        && let Some(id) = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["id"].as_i64())
    {
        answer.insert_header((header::LOCATION, format!("{collection}/{id}")));
    }
    answer.body(body)
}

enum Outcome {
    Fresh(StatusCode, String),
    Replay(Stored),
}

/// Keeps a successful answer for retries with this key, in the transaction that did the
/// work, after [`claim`] found none kept. Should another request with the key still have
/// committed first, the unique index refuses it (`IdempotencyRace`), the work rolls back
/// and [`after_race`] answers.
pub fn remember(
    conn: &mut DbConn,
    user_id: i64,
    key: Option<&str>,
    hash: &str,
    status: StatusCode,
    body: &str,
) -> Result<(), ApiError> {
    let Some(key) = key else {
        return Ok(());
    };
    save(conn, user_id, key, hash, status, body, db::now()).map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ApiError::IdempotencyRace,
        other => other.into(),
    })
}

/// An answer kept for an earlier request with a key.
pub struct Kept(Stored);

/// Takes the key for this transaction and finds the answer kept for it, if any: a
/// request with the same key waits here until this transaction ends, then finds what it
/// kept (PostgreSQL; SQLite's write lock orders them already). For work in several steps,
/// in the first; [`run`] does this itself.
pub fn claim(conn: &mut DbConn, user_id: i64, key: Option<&str>) -> Result<Option<Kept>, ApiError> {
    let Some(key) = key else {
        return Ok(None);
    };
    db::lock(conn, &format!("idempotency:{user_id}:{key}"))?;
    Ok(find(conn, user_id, key)?.map(Kept))
}

/// The kept answer, replayed (422 when the key was used for another request).
pub fn replay_kept(kept: Kept, hash: &str) -> Result<HttpResponse, ApiError> {
    replay(kept.0, hash, None)
}

/// The answer of the request that won a race on the key.
pub async fn after_race(
    pool: &DbPool,
    user_id: i64,
    key: Option<String>,
    hash: &str,
    located_in: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let key = key.ok_or(ApiError::IdempotencyRace)?;
    let stored = db::run(pool, move |conn| {
        find(conn, user_id, &key)?.ok_or(ApiError::IdempotencyRace)
    })
    .await?;
    replay(stored, hash, located_in)
}

/// Runs `work` in one write transaction, honouring the key when there is one. `work`
/// returns the status and the JSON body of a successful response; a 201 of something
/// with an address of its own names the collection it joins (`located_in`).
pub async fn run<F>(
    pool: &DbPool,
    user_id: i64,
    key: Option<String>,
    hash: String,
    located_in: Option<&str>,
    mut work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<(StatusCode, serde_json::Value), ApiError> + Send + 'static,
{
    let (k, h) = (key.clone(), hash.clone());
    let result = db::run_tx(pool, move |conn| {
        if let Some(Kept(stored)) = claim(conn, user_id, k.as_deref())? {
            return Ok(Outcome::Replay(stored));
        }
        let (status, body) = work(conn)?;
        let body = body.to_string();
        remember(conn, user_id, k.as_deref(), &h, status, &body)?;
        Ok(Outcome::Fresh(status, body))
    })
    .await;
    match result {
        Ok(Outcome::Fresh(status, body)) => Ok(respond(status, body, located_in, false)),
        Ok(Outcome::Replay(stored)) => replay(stored, &hash, located_in),
        // Another request with this key committed first: answer as it did.
        Err(ApiError::IdempotencyRace) => after_race(pool, user_id, key, &hash, located_in).await,
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn carrying(key: &str) -> HttpRequest {
        actix_web::test::TestRequest::default()
            .insert_header((HEADER, key))
            .to_http_request()
    }

    #[test]
    fn keys_outside_the_pattern_are_refused() {
        for bad in ["", "a b", "é", &"k".repeat(256)] {
            assert!(key_of(&carrying(bad)).is_err(), "{bad:?}");
        }
        assert_eq!(key_of(&carrying(&"k".repeat(255))).unwrap().map(|k| k.len()), Some(255));
    }

    proptest! {
        #[test]
        fn whatever_the_pattern_allows_is_a_key(key in crate::domain::matching(KEY_PATTERN)) {
            prop_assert_eq!(key_of(&carrying(&key)).unwrap(), Some(key.clone()));
        }
    }
}

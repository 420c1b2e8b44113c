//! Recent answers to the reads asked again and again while nothing changes — the public
//! catalogue (every resident's app opens with it), the planning board (with its waiting
//! list) and the reconciliation report — kept until anything is written. The werkleiders'
//! screens and the finance back office ask for the same board or month over and over;
//! building it from the database each time is what these reads cost (the load
//! benchmark).
//!
//! An answer is served only while no write transaction of this process has committed
//! since it was read ([`db::writes`](crate::db::writes)), so whoever changes something
//! sees the change on the next call. Writes to what no answer here shows (the audit log,
//! mail delivery, sessions; [`db::uncounted_tx`](crate::db::uncounted_tx)) do not count:
//! the mail worker's round every second would otherwise throw every answer away. A write
//! made by another process (a second instance, the worker, the CLI) shows within
//! [`TIME_TO_LIVE`]. Answers do not depend on who asks (the routes check the role before
//! looking here), so one answer serves every caller allowed to see it. A request with
//! `Cache-Control: no-cache` is answered from the database (and its answer kept), for a
//! figure that must be the latest across instances.
//!
//! Browsers and phones ask for gzip. An answer is compressed once, when it is built, and
//! the compressed bytes are served as they are kept; otherwise the compression middleware
//! would compress the same 41 KB board again for every request.
//!
//! Every answer carries an `ETag` (a hash of its JSON). A screen that asks again with
//! `If-None-Match` and the tag it has gets `304 Not Modified` and no body while nothing
//! changed: a werkleider's board or a finance screen that refreshes itself every minute
//! then costs a few hundred bytes instead of 41 KB.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::Digest;

use crate::error::ApiError;

pub const TIME_TO_LIVE: Duration = Duration::from_secs(2);

/// Distinct questions kept at most (periods asked for); beyond it the oldest go.
const MAX_ENTRIES: usize = 128;

/// One answer, as JSON and the same JSON gzipped, and its entity tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub json: Bytes,
    pub gzip: Bytes,
    /// Weak (`W/"…"`): the JSON and its gzip are the same answer in two encodings. Kept
    /// as a header value, so serving it copies no bytes.
    pub etag: HeaderValue,
}

impl Answer {
    pub fn new(json: Bytes) -> std::io::Result<Self> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&json)?;
        let gzip = Bytes::from(encoder.finish()?);
        let digest = sha2::Sha256::digest(&json);
        let etag =
            HeaderValue::try_from(format!("W/\"{}\"", hex::encode(&digest[..16]))).map_err(std::io::Error::other)?;
        Ok(Self { json, gzip, etag })
    }
}

enum Lookup {
    Fresh(Answer),
    /// Nothing written here since, but it may be out of date with other processes.
    Expired(Answer),
    Miss,
}

#[derive(Debug)]
struct Kept {
    writes: u64,
    at: Instant,
    answer: Answer,
}

/// Builders of the same answer take turns (striped by key), so when an answer goes stale
/// one request builds it and the others wait for it instead of all building it at once.
const GATES: usize = 16;

#[derive(Debug, Default)]
pub struct ReadCache {
    entries: RwLock<HashMap<String, Kept>>,
    gates: [tokio::sync::Mutex<()>; GATES],
}

impl ReadCache {
    fn gate(&self, key: &str) -> &tokio::sync::Mutex<()> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(key);
        &self.gates[(hash % GATES as u64) as usize]
    }

    /// The answer to `key`, if nothing was written since it was read (`writes` is the
    /// current count) and it is younger than the time to live.
    pub fn get(&self, key: &str, writes: u64, now: Instant) -> Option<Answer> {
        match self.lookup(key, writes, now) {
            Lookup::Fresh(answer) => Some(answer),
            Lookup::Expired(_) | Lookup::Miss => None,
        }
    }

    /// Like [`get`](Self::get), but tells an answer past its time to live (with nothing
    /// written since) from none at all.
    fn lookup(&self, key: &str, writes: u64, now: Instant) -> Lookup {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        match entries.get(key).filter(|k| k.writes == writes) {
            Some(k) if now.saturating_duration_since(k.at) < TIME_TO_LIVE => Lookup::Fresh(k.answer.clone()),
            Some(k) => Lookup::Expired(k.answer.clone()),
            None => Lookup::Miss,
        }
    }

    /// Keeps an answer read when the write count was `writes`.
    pub fn keep(&self, key: String, writes: u64, answer: Answer, now: Instant) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.retain(|_, k| k.writes == writes && now.saturating_duration_since(k.at) < TIME_TO_LIVE);
            if entries.len() >= MAX_ENTRIES
                && let Some(oldest) = entries.iter().min_by_key(|(_, k)| k.at).map(|(key, _)| key.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key,
            Kept {
                writes,
                at: now,
                answer,
            },
        );
    }
}

/// Answers `key` from the cache, or awaits `read`, keeps its JSON and answers with it.
pub async fn json<T: Serialize>(
    cache: &ReadCache,
    req: &HttpRequest,
    key: String,
    read: impl Future<Output = Result<T, ApiError>>,
) -> Result<HttpResponse, ApiError> {
    let gzip = accepts_gzip(req);
    // Asked to read now: no waiting for another build, which may have started earlier.
    let _turn = if wants_fresh(req) {
        None
    } else {
        let gate = cache.gate(&key);
        match cache.lookup(&key, crate::db::writes(), Instant::now()) {
            Lookup::Fresh(answer) => return Ok(respond(answer, gzip, req)),
            // Only the time to live has passed: one request reads it again while the
            // others keep getting the kept answer meanwhile, rather than all waiting.
            Lookup::Expired(answer) => match gate.try_lock() {
                Ok(turn) => Some(turn),
                Err(_) => return Ok(respond(answer, gzip, req)),
            },
            // Something was written: everyone waits for the answer that shows it.
            Lookup::Miss => {
                let turn = gate.lock().await;
                // Whoever held the turn before may have just built it.
                if let Some(answer) = cache.get(&key, crate::db::writes(), Instant::now()) {
                    return Ok(respond(answer, gzip, req));
                }
                Some(turn)
            }
        }
    };
    // Taken before reading: a write that commits meanwhile makes this answer stale at once.
    let writes = crate::db::writes();
    let json = Bytes::from(serde_json::to_vec(&read.await?).map_err(ApiError::internal)?);
    let answer = Answer::new(json).map_err(ApiError::internal)?;
    cache.keep(key, writes, answer.clone(), Instant::now());
    Ok(respond(answer, gzip, req))
}

/// The comma-separated items of every value of a list header.
fn list_items(req: &HttpRequest, name: header::HeaderName) -> impl Iterator<Item = &str> {
    req.headers()
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
}

/// Whether the client asks for an answer read now (`Cache-Control: no-cache`).
fn wants_fresh(req: &HttpRequest) -> bool {
    list_items(req, header::CACHE_CONTROL).any(|d| {
        let d = d.trim();
        d.eq_ignore_ascii_case("no-cache") || d.eq_ignore_ascii_case("max-age=0")
    })
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, not with `q=0`).
fn accepts_gzip(req: &HttpRequest) -> bool {
    list_items(req, header::ACCEPT_ENCODING).any(|part| {
        let mut bits = part.split(';').map(str::trim);
        let name = bits.next().unwrap_or_default();
        let refused = bits.any(|p| {
            p.strip_prefix("q=")
                .is_some_and(|q| q.trim_end_matches(['0', '.']).is_empty())
        });
        name.eq_ignore_ascii_case("gzip") && !refused
    })
}

/// Whether `If-None-Match` names this tag (compared weakly, as RFC 9110 asks for GET) or
/// is `*`.
fn unchanged_for(req: &HttpRequest, etag: &HeaderValue) -> bool {
    if !req.headers().contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag.to_str().unwrap_or_default());
    list_items(req, header::IF_NONE_MATCH).any(|tag| tag.trim() == "*" || opaque(tag) == ours)
}

fn respond(answer: Answer, gzip: bool, req: &HttpRequest) -> HttpResponse {
    if unchanged_for(req, &answer.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, answer.etag))
            .insert_header((header::VARY, "Accept-Encoding"))
            .finish();
    }
    let mut response = HttpResponse::Ok();
    response
        .content_type(ContentType::json())
        .insert_header((header::ETAG, answer.etag))
        .insert_header((header::VARY, "Accept-Encoding"));
    if gzip {
        // The compression middleware leaves a response with an encoding alone.
        response
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(answer.gzip)
    } else {
        response.body(answer.json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_until_a_write_or_its_time_is_up() {
        let cache = ReadCache::default();
        let t = Instant::now();
        assert_eq!(cache.get("board", 7, t), None);
        let answer = Answer::new(Bytes::from_static(b"{}")).unwrap();
        cache.keep("board".into(), 7, answer.clone(), t);
        assert_eq!(cache.get("board", 7, t + Duration::from_secs(1)), Some(answer));
        assert_eq!(cache.get("other", 7, t), None);
        assert_eq!(cache.get("board", 8, t), None, "something was written");
        assert_eq!(cache.get("board", 7, t + TIME_TO_LIVE), None, "too old");
    }

    #[test]
    fn an_answer_read_before_a_write_is_never_served_after_it() {
        let cache = ReadCache::default();
        let t = Instant::now();
        // Read at 3, stored after the write that made it 4.
        cache.keep("board".into(), 3, Answer::new(Bytes::from_static(b"old")).unwrap(), t);
        assert_eq!(cache.get("board", 4, t), None);
    }

    #[tokio::test]
    async fn callers_that_miss_together_wait_for_one_build() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cache = ReadCache::default();
        let builds = AtomicUsize::new(0);
        let build = || async {
            builds.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ApiError>(vec![1, 2, 3])
        };
        let req = actix_web::test::TestRequest::default().to_http_request();
        let answers = futures_util::future::join_all((0..8).map(|_| json(&cache, &req, "board".into(), build()))).await;
        assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|r| r.status() == 200)));
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn while_an_expired_answer_is_read_again_the_others_get_the_kept_one() {
        let cache = ReadCache::default();
        let req = actix_web::test::TestRequest::default().to_http_request();
        let writes = crate::db::writes();
        let old = Answer::new(Bytes::from_static(b"[1]")).unwrap();
        cache.keep("board".into(), writes, old, Instant::now() - TIME_TO_LIVE);
        // Someone else is reading it again.
        let turn = cache.gate("board").lock().await;
        let read = async { Ok::<_, ApiError>(vec![2]) };
        let served = json(&cache, &req, "board".into(), read).await.unwrap();
        let body = actix_web::body::to_bytes(served.into_body()).await.unwrap();
        assert_eq!(&body[..], b"[1]");
        drop(turn);
        // With the turn free, the next request reads it again.
        let read = async { Ok::<_, ApiError>(vec![2]) };
        let served = json(&cache, &req, "board".into(), read).await.unwrap();
        let body = actix_web::body::to_bytes(served.into_body()).await.unwrap();
        assert_eq!(&body[..], b"[2]");
    }

    #[test]
    fn gzip_is_served_to_those_who_take_it() {
        use std::io::Read;
        let with = |value: &str| {
            actix_web::test::TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, value))
                .to_http_request()
        };
        assert!(accepts_gzip(&with("gzip, deflate, br")));
        assert!(accepts_gzip(&with("br;q=1.0, GZIP;q=0.5")));
        assert!(!accepts_gzip(&with("gzip;q=0")));
        assert!(!accepts_gzip(&with("deflate")));
        assert!(!accepts_gzip(
            &actix_web::test::TestRequest::default().to_http_request()
        ));

        let answer = Answer::new(Bytes::from(vec![b'x'; 10_000])).unwrap();
        assert!(answer.gzip.len() < 200, "{}", answer.gzip.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&answer.gzip[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, answer.json);
    }

    #[test]
    fn it_keeps_a_bounded_number_of_answers() {
        let cache = ReadCache::default();
        let t = Instant::now();
        for i in 0..(MAX_ENTRIES as u64 * 3) {
            cache.keep(
                format!("k{i}"),
                1,
                Answer::new(Bytes::new()).unwrap(),
                t + Duration::from_millis(i),
            );
        }
        let kept = cache.entries.read().map(|e| e.len()).unwrap_or_default();
        assert_eq!(kept, MAX_ENTRIES);
        let last = MAX_ENTRIES as u64 * 3 - 1;
        assert!(cache.get(&format!("k{last}"), 1, t).is_some(), "the newest stays");
    }
}

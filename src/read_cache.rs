//! Recent answers to the expensive staff reads — the planning board, the waiting list and
//! the reconciliation report — kept until anything is written. The werkleiders' screens
//! and the finance back office ask for the same board or month again and again while
//! nothing changes; building it from the database each time is what these reads cost
//! (the load benchmark).
//!
//! An answer is served only while no write transaction of this process has committed
//! since it was read ([`db::writes`](crate::db::writes)), so whoever changes something
//! sees the change on the next call. A write made by another process (a second instance,
//! the worker, the CLI) shows within [`TIME_TO_LIVE`]. Answers do not depend on who asks
//! (the routes check the role before looking here), so one answer serves every caller
//! allowed to see it.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use serde::Serialize;

use crate::error::ApiError;

pub const TIME_TO_LIVE: Duration = Duration::from_secs(2);

/// Distinct questions kept at most (periods asked for); beyond it the oldest go.
const MAX_ENTRIES: usize = 128;

#[derive(Debug)]
struct Kept {
    writes: u64,
    at: Instant,
    body: Bytes,
}

#[derive(Debug, Default)]
pub struct ReadCache {
    entries: RwLock<HashMap<String, Kept>>,
}

impl ReadCache {
    /// The answer to `key`, if nothing was written since it was read (`writes` is the
    /// current count) and it is younger than the time to live.
    pub fn get(&self, key: &str, writes: u64, now: Instant) -> Option<Bytes> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(key)
            .filter(|k| k.writes == writes && now.saturating_duration_since(k.at) < TIME_TO_LIVE)
            .map(|k| k.body.clone())
    }

    /// Keeps an answer read when the write count was `writes`.
    pub fn keep(&self, key: String, writes: u64, body: Bytes, now: Instant) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.retain(|_, k| k.writes == writes && now.saturating_duration_since(k.at) < TIME_TO_LIVE);
            if entries.len() >= MAX_ENTRIES
                && let Some(oldest) = entries.iter().min_by_key(|(_, k)| k.at).map(|(key, _)| key.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, Kept { writes, at: now, body });
    }
}

/// Answers `key` from the cache, or awaits `read`, keeps its JSON and answers with it.
pub async fn json<T: Serialize>(
    cache: &ReadCache,
    key: String,
    read: impl Future<Output = Result<T, ApiError>>,
) -> Result<HttpResponse, ApiError> {
    // Taken before reading: a write that commits meanwhile makes this answer stale at once.
    let writes = crate::db::writes();
    let body = match cache.get(&key, writes, Instant::now()) {
        Some(body) => body,
        None => {
            let body = Bytes::from(serde_json::to_vec(&read.await?).map_err(ApiError::internal)?);
            cache.keep(key, writes, body.clone(), Instant::now());
            body
        }
    };
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_until_a_write_or_its_time_is_up() {
        let cache = ReadCache::default();
        let t = Instant::now();
        assert_eq!(cache.get("board", 7, t), None);
        cache.keep("board".into(), 7, Bytes::from_static(b"{}"), t);
        assert_eq!(
            cache.get("board", 7, t + Duration::from_secs(1)),
            Some(Bytes::from_static(b"{}"))
        );
        assert_eq!(cache.get("other", 7, t), None);
        assert_eq!(cache.get("board", 8, t), None, "something was written");
        assert_eq!(cache.get("board", 7, t + TIME_TO_LIVE), None, "too old");
    }

    #[test]
    fn an_answer_read_before_a_write_is_never_served_after_it() {
        let cache = ReadCache::default();
        let t = Instant::now();
        // Read at 3, stored after the write that made it 4.
        cache.keep("board".into(), 3, Bytes::from_static(b"old"), t);
        assert_eq!(cache.get("board", 4, t), None);
    }

    #[test]
    fn it_keeps_a_bounded_number_of_answers() {
        let cache = ReadCache::default();
        let t = Instant::now();
        for i in 0..(MAX_ENTRIES as u64 * 3) {
            cache.keep(format!("k{i}"), 1, Bytes::new(), t + Duration::from_millis(i));
        }
        let kept = cache.entries.read().map(|e| e.len()).unwrap_or_default();
        assert_eq!(kept, MAX_ENTRIES);
        let last = MAX_ENTRIES as u64 * 3 - 1;
        assert!(cache.get(&format!("k{last}"), 1, t).is_some(), "the newest stays");
    }
}

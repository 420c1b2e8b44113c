//! The public catalogue, kept serialised for a few seconds. Every resident's app opens
//! with it and it changes a few times a year, so reading it from the database for each
//! request is most of what `GET /api/v1/services` costs (the load benchmark). A change
//! made through this process clears it at once; one made through another instance (or
//! `servicepunt demo`) shows within [`TIME_TO_LIVE`].

use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

pub const TIME_TO_LIVE: Duration = Duration::from_secs(5);

#[derive(Debug, Default)]
struct State {
    /// Counts clears, so a list read before a change cannot be kept after it.
    generation: u64,
    kept: Option<(Instant, Bytes)>,
}

#[derive(Debug, Default)]
pub struct CatalogueCache {
    state: RwLock<State>,
    /// When the list has expired, one request reads it and the others wait for that,
    /// instead of every request in flight reading it at once.
    rebuild: tokio::sync::Mutex<()>,
}

impl CatalogueCache {
    /// The kept body, if it is younger than the time to live.
    pub fn get(&self, now: Instant) -> Option<Bytes> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state
            .kept
            .as_ref()
            .filter(|(at, _)| now.saturating_duration_since(*at) < TIME_TO_LIVE)
            .map(|(_, body)| body.clone())
    }

    /// The kept body past its time to live (nothing changed through this process since),
    /// to serve while another request reads the list again.
    pub fn expired(&self) -> Option<Bytes> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state.kept.as_ref().map(|(_, body)| body.clone())
    }

    /// Held while reading the list after a miss; look again once you have it.
    pub async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.rebuild.lock().await
    }

    /// The turn if nobody holds it.
    pub fn try_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        self.rebuild.try_lock().ok()
    }

    /// Take before reading the database; pass to [`keep`](Self::keep).
    pub fn generation(&self) -> u64 {
        self.state.read().unwrap_or_else(PoisonError::into_inner).generation
    }

    /// Keeps a body read at `generation`, unless the catalogue changed since.
    pub fn keep(&self, generation: u64, body: Bytes, now: Instant) {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if state.generation == generation {
            state.kept = Some((now, body));
        }
    }

    /// After a change to the catalogue has committed.
    pub fn clear(&self) {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.generation += 1;
        state.kept = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_body_is_served_until_it_expires() {
        let cache = CatalogueCache::default();
        let t = Instant::now();
        assert_eq!(cache.get(t), None);
        cache.keep(cache.generation(), Bytes::from_static(b"[]"), t);
        assert_eq!(cache.get(t + Duration::from_secs(4)), Some(Bytes::from_static(b"[]")));
        assert_eq!(cache.get(t + TIME_TO_LIVE), None);
    }

    #[test]
    fn a_change_clears_it_and_a_read_from_before_the_change_is_not_kept() {
        let cache = CatalogueCache::default();
        let t = Instant::now();
        cache.keep(cache.generation(), Bytes::from_static(b"[1]"), t);
        let before = cache.generation();
        cache.clear();
        assert_eq!(cache.get(t), None);
        cache.keep(before, Bytes::from_static(b"[1]"), t);
        assert_eq!(cache.get(t), None, "read before the change");
        cache.keep(cache.generation(), Bytes::from_static(b"[2]"), t);
        assert_eq!(cache.get(t), Some(Bytes::from_static(b"[2]")));
    }
}

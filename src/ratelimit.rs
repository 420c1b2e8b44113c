//! Rate limits on the public endpoints that send mail or create accounts (registration,
//! password reset, email verification): at most N requests per client address per route
//! in a sliding minute, then 429 with `Retry-After`. Login has its own throttle on
//! failures (`auth::throttle`), counted in the database. These limits are in memory, per
//! instance: turning away a flood must cost nothing, not a database write per request,
//! and account mail (registration, reset) has its own cap per address (`auth::mail_cap`). So N
//! instances allow N times the rate. The client address is the connection's, or behind
//! a trusted proxy the forwarded one (`client_addr`).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use crate::error::ApiError;

/// The routes limited here.
pub const LIMITED: [&str; 6] = [
    "/api/v1/auth/register",
    "/api/v1/auth/register/confirm",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/confirm",
    "/api/v1/auth/verify-email",
    "/api/v1/auth/verify-email/resend",
];

const WINDOW: Duration = Duration::from_secs(60);
const MAX_KEYS: usize = 50_000;

#[derive(Debug)]
pub struct PublicLimit {
    per_minute: u32,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl PublicLimit {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; when over the limit, how long until the next is allowed.
    pub fn hit(&self, key: &str, now: Instant) -> Option<Duration> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > MAX_KEYS {
            seen.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let q = seen.entry(key.to_owned()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= self.per_minute as usize {
            return q.front().map(|t| (*t + WINDOW).saturating_duration_since(now));
        }
        q.push_back(now);
        None
    }
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The routed path: `/api/v1/auth/%72egister` is the same route, and the same count.
    let path = crate::routed_path::of(req.request());
    let limited = req.method() == actix_web::http::Method::POST && LIMITED.contains(&path);
    if limited && let Some(limit) = req.app_data::<web::Data<PublicLimit>>() {
        let client = crate::client_addr::of(req.request());
        if let Some(wait) = limit.hit(&format!("{client} {path}"), Instant::now()) {
            let error = ApiError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            };
            let response = error.error_response();
            return Ok(req.into_response(response));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_per_key_and_frees_up_after_a_minute() {
        let limit = PublicLimit::new(3);
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.hit("a", t), None);
        }
        let wait = limit.hit("a", t + Duration::from_secs(10));
        assert_eq!(wait, Some(Duration::from_secs(50)));
        assert_eq!(limit.hit("b", t), None, "another client is not affected");
        assert_eq!(limit.hit("a", t + Duration::from_secs(61)), None);
    }
}

//! Where passwords are hashed and checked for requests. argon2id is slow on purpose (tens
//! of milliseconds and 19 MiB each), so it runs on the blocking threads, never while a
//! database connection is held, and at most one per core at a time: a burst of logins
//! queues here instead of taking the connections and blocking threads every other request
//! needs, and the memory it takes stays bounded.

use std::sync::LazyLock;

use actix_web::web;
use tokio::sync::Semaphore;

use super::password::{self, NewPassword};
use crate::error::ApiError;

static SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, usize::from)));

async fn on_a_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let _slot = SLOTS.acquire().await.map_err(ApiError::internal)?;
    web::block(work).await.map_err(ApiError::internal)
}

/// Whether `candidate` matches the stored hash.
pub async fn verify(candidate: String, stored: String) -> Result<bool, ApiError> {
    on_a_slot(move || password::verify(&candidate, &stored)).await
}

/// The hash to store for a new password.
pub async fn hash(new: NewPassword) -> Result<String, ApiError> {
    on_a_slot(move || password::hash(&new))
        .await?
        .map_err(ApiError::internal)
}

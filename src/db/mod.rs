//! The database layer: one connection type over SQLite (embedded default) and PostgreSQL.
//!
//! Store functions take `&mut DbConn` so several of them compose inside one transaction.
//! Handlers reach the database only through [`run`] (a read of one statement, or of
//! several that need not agree), [`run_snapshot`] (reads that must agree) and [`run_tx`]
//! (write), which move the blocking diesel work onto actix's blocking pool.

mod backend;
pub mod backup;
mod message_language;
mod migrations;
mod pool;
pub mod schema;
mod writer;

pub use backend::Backend;
pub use message_language::errors_in_english;
pub use migrations::{revert_all_migrations, run_migrations};
pub use pool::{DbPool, PoolOptions, build_pool, connect, establish};

use actix_web::web;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::{PgConnection, SqliteConnection};

use crate::error::ApiError;

/// A connection to either backend. `Pg` comes first, but we never let diesel guess the
/// variant from the URL: [`Backend::from_url`] decides (see `pool.rs`).
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Write transactions committed by this process so far. Kept answers
/// ([`crate::read_cache`]) are good only while it stays the same.
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn writes() -> u64 {
    WRITES.load(std::sync::atomic::Ordering::Acquire)
}

/// Runs `f` in a write transaction. On SQLite the writers of this process queue for the
/// file first (see `writer.rs`), then `BEGIN IMMEDIATE` takes the write lock up front, so
/// a writer never fails with "database is locked" when a read lock would have to be
/// upgraded mid-transaction.
pub fn write_tx<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let value = uncounted_tx(conn, f)?;
    WRITES.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    Ok(value)
}

/// A write transaction, queued and locked like [`write_tx`], for rows that no kept
/// answer shows — the audit log, the outbox's delivery state, sessions and failed logins:
/// not counted in [`writes`]. Recording that someone read a person's data, the mail
/// worker's round every second, or someone logging in does not throw away the planning
/// board. Anything a kept answer could show goes through [`write_tx`].
pub fn uncounted_tx<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let gate = match conn {
        DbConn::Sqlite(c) => Some(writer::gate(c)?),
        DbConn::Pg(_) => None,
    };
    // Held until the transaction has ended, whichever way it ends (a panic included).
    let _turn = gate
        .as_ref()
        .map(|g| g.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as diesel::Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The caller's error is the one worth reporting; a failed rollback leaves the
            // connection broken, which r2d2 then discards.
            if let Err(rollback) = <DbConn as diesel::Connection>::TransactionManager::rollback_transaction(conn) {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Runs the reads of `f` in one read-only transaction, so they all see the database as it
/// was at one moment. Each statement outside a transaction sees its own moment: a report
/// that sums the journal and then the cheques would, with a sale committing in between,
/// count the sale in one figure and not the other, and show a mismatch that is not there.
/// PostgreSQL reads at `REPEATABLE READ` (a read-only one never fails to serialise);
/// SQLite in WAL mode keeps the snapshot of a transaction's first read to its end,
/// without blocking the writer.
pub fn snapshot<T, E>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN DEFERRED")?,
        DbConn::Pg(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?
        }
    }
    let value = f(conn);
    // Nothing was written: ending it either way is the same, and a failed end leaves the
    // connection broken, which r2d2 then discards.
    let ended = if value.is_ok() {
        <DbConn as diesel::Connection>::TransactionManager::commit_transaction(conn)
    } else {
        <DbConn as diesel::Connection>::TransactionManager::rollback_transaction(conn)
    };
    if let Err(e) = ended {
        tracing::warn!(error = %e, "ending a read transaction failed");
    }
    value
}

async fn blocking<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(|e| {
            tracing::warn!(error = %e, "no database connection");
            ApiError::DatabaseUnavailable
        })?;
        f(&mut conn)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Runs a read-only use case on the blocking pool; each statement sees the database as it
/// is when it runs (see [`run_snapshot`]).
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    blocking(pool, f).await
}

/// Runs a read-only use case whose figures must agree with each other (reports, a wallet
/// and its balance, a board and its waiting list) in one [`snapshot`].
pub async fn run_snapshot<T, F>(pool: &DbPool, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    blocking(pool, move |conn| snapshot(conn, f)).await
}

/// Runs a use case in one write transaction on the blocking pool, again (up to
/// [`ATTEMPTS`] times in all) when it met a race the database caught and rolled back
/// ([`ApiError::ChangedConcurrently`]).
pub async fn run_tx<T, F>(pool: &DbPool, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    blocking(pool, move |conn| retrying(|| write_tx(conn, &mut f))).await
}

/// Runs a use case in one [`uncounted_tx`] on the blocking pool, again (up to [`ATTEMPTS`]
/// times in all) when it met a race the database caught and rolled back.
pub async fn run_uncounted_tx<T, F>(pool: &DbPool, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    blocking(pool, move |conn| retrying(|| uncounted_tx(conn, &mut f))).await
}

/// How many times a transaction is tried in all before its race is answered.
pub const ATTEMPTS: usize = 3;

/// Transactions this process has run again after a race (`/metrics`).
static RETRIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn retries() -> u64 {
    RETRIES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Runs `attempt` (a whole transaction) again while it ends in a race the database caught
/// and rolled back ([`ApiError::ChangedConcurrently`]: a duplicate another writer
/// committed first, a failed serialisation, a deadlock PostgreSQL broke), up to
/// [`ATTEMPTS`] times. Nothing of a rolled-back attempt stays, so the next one starts from
/// the database as the other writer left it and gets the answer the request would have had
/// after it: the person at the desk or on the phone does not have to ask again. Use
/// cases do their I/O (mail, Stripe) outside their transaction, so repeating one repeats
/// only database work.
fn retrying<T>(mut attempt: impl FnMut() -> Result<T, ApiError>) -> Result<T, ApiError> {
    let mut tried = 1;
    loop {
        match attempt() {
            // What the database said may quote the duplicate value: not logged.
            Err(ApiError::ChangedConcurrently(_)) if tried < ATTEMPTS => {
                tracing::info!(tried, "a race the database caught; trying the transaction again");
                RETRIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tried += 1;
            }
            other => return other,
        }
    }
}

/// The current time as stored: UTC, truncated to microseconds so both backends round-trip
/// the same value.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Serialises writers that touch the same `key` (an address, a participant) until the
/// transaction ends. PostgreSQL takes a transaction-scoped advisory lock; SQLite's
/// `BEGIN IMMEDIATE` already holds the one write lock, so nothing more is needed there.
pub fn lock(conn: &mut DbConn, key: &str) -> diesel::QueryResult<()> {
    advisory(conn, "SELECT pg_advisory_xact_lock($1)", key)
}

/// Like [`lock`], but shared: holders of the shared lock on `key` go side by side, and
/// only wait for (and hold off) a holder of [`lock`] on it. For the many writers that
/// must not overlap with one rare one, such as postings in a month and its close.
pub fn lock_shared(conn: &mut DbConn, key: &str) -> diesel::QueryResult<()> {
    advisory(conn, "SELECT pg_advisory_xact_lock_shared($1)", key)
}

fn advisory(conn: &mut DbConn, query: &str, key: &str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    use sha2::{Digest, Sha256};
    if let DbConn::Pg(c) = conn {
        let digest = Sha256::digest(key.as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        diesel::sql_query(query)
            .bind::<diesel::sql_types::BigInt, _>(i64::from_be_bytes(bytes))
            .execute(c)?;
    }
    Ok(())
}

/// Whether a use case failed on a unique index: another request recorded the same thing.
pub fn is_unique_violation(e: &ApiError) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        ApiError::ChangedConcurrently(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
    )
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorKind, Error};

    use super::*;

    fn race() -> ApiError {
        let info = Box::new("could not serialize access due to concurrent update".to_owned());
        ApiError::ChangedConcurrently(Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info))
    }

    #[test]
    fn a_transaction_that_lost_a_race_runs_again() {
        let mut runs = 0;
        let answer = retrying(|| {
            runs += 1;
            if runs == 1 { Err(race()) } else { Ok(runs) }
        });
        assert_eq!(answer.unwrap(), 2);
    }

    #[test]
    fn losing_every_attempt_answers_the_race() {
        let mut runs = 0;
        let answer: Result<(), ApiError> = retrying(|| {
            runs += 1;
            Err(race())
        });
        assert_eq!(runs, ATTEMPTS);
        assert_eq!(answer.unwrap_err().problem().code, "changed_concurrently");
    }

    #[test]
    fn any_other_refusal_is_answered_at_once() {
        let mut runs = 0;
        let answer: Result<(), ApiError> = retrying(|| {
            runs += 1;
            Err(ApiError::conflict("invalid_transition", "the job is done already"))
        });
        assert_eq!(runs, 1);
        assert_eq!(answer.unwrap_err().problem().code, "invalid_transition");
    }
}

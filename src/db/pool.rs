use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use super::{Backend, DbConn};

pub type DbPool = r2d2::Pool<Manager>;

/// The r2d2 manager: connections of the backend the URL names (see [`establish`]).
#[derive(Debug)]
pub struct Manager {
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        establish(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection given back by a use case that panicked, or with a transaction still
    /// open, is not reused: the next request would run inside someone else's transaction.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::connection::TransactionManager;
        std::thread::panicking() || <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

/// Opens one connection of the backend the URL names, with SQLite's per-connection pragmas.
pub fn establish(url: &str) -> Result<DbConn, r2d2::Error> {
    match Backend::from_url(url) {
        Backend::Postgres => PgConnection::establish(url)
            .map(DbConn::Pg)
            .map_err(r2d2::Error::ConnectionError),
        Backend::Sqlite => {
            let mut conn =
                SqliteConnection::establish(Backend::sqlite_path(url)).map_err(r2d2::Error::ConnectionError)?;
            // WAL lets readers run beside the one writer; busy_timeout makes writers
            // queue rather than fail; foreign keys are off by default in SQLite.
            conn.batch_execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
            )
            .map_err(r2d2::Error::QueryError)?;
            Ok(DbConn::Sqlite(conn))
        }
    }
}

#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a request waits for a connection before it gets 503 `database_unavailable`.
    pub acquire_timeout: Duration,
}

/// For SQLite, creates the parent folder of the file; the backend the URL names.
fn prepare(url: &str) -> anyhow::Result<Backend> {
    let backend = Backend::from_url(url);
    if backend == Backend::Sqlite {
        let path = std::path::Path::new(Backend::sqlite_path(url));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    Ok(backend)
}

/// One connection for a command that does its work and exits (`migrate`, `user`, `demo`).
/// Not a pool: a pool opens connections on threads of its own, and a process that exits
/// while one of them is inside libpq's connect aborts in Kerberos (GSSAPI) clean-up.
pub fn connect(url: &str) -> anyhow::Result<DbConn> {
    let backend = prepare(url)?;
    establish(url).map_err(|e| anyhow::anyhow!("cannot connect to the {backend} database: {e}"))
}

/// Builds the pool. For SQLite the parent folder of the file is created first.
pub fn build_pool(url: &str, options: &PoolOptions) -> anyhow::Result<DbPool> {
    let backend = prepare(url)?;
    let manager = Manager { url: url.to_owned() };
    let pool = r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(1))
        .connection_timeout(options.acquire_timeout)
        .test_on_check_out(true)
        .build(manager)
        .map_err(|e| anyhow::anyhow!("cannot connect to the {backend} database: {e}"))?;
    Ok(pool)
}

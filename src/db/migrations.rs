use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConn;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the pending migrations of the connection's backend; returns their versions.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let applied = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(POSTGRES),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE),
    }
    .map_err(|e: BoxError| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration (tests prove each one runs down and up again).
pub fn revert_all_migrations(conn: &mut DbConn) -> anyhow::Result<Vec<String>> {
    let reverted = match conn {
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES),
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE),
    }
    .map_err(|e: BoxError| anyhow::anyhow!("reverting migrations failed: {e}"))?;
    Ok(reverted.into_iter().map(|v| v.to_string()).collect())
}

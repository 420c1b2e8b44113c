//! `servicepunt backup FILE`: a copy of the embedded SQLite database taken while the
//! service runs. Copying `servicepunt.db` with `cp` is not a backup: in WAL mode the latest
//! commits live in `servicepunt.db-wal` until a checkpoint, and a copy made during a write
//! can be torn. `VACUUM INTO` writes one consistent snapshot (a read transaction: writers
//! go on meanwhile) to a new file, which is then checked before it is called a backup.
//! PostgreSQL has its own tools for this (`pg_dump`).

use std::path::Path;

use anyhow::{Context, bail};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection, sql_types::Text};

use super::{Backend, DbConn, establish};

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Writes a consistent copy of the database at `url` to `to`, a file that must not exist
/// yet; gives its size in bytes once SQLite has found it whole.
pub fn backup(url: &str, to: &Path) -> anyhow::Result<u64> {
    if Backend::from_url(url) == Backend::Postgres {
        bail!("the database is PostgreSQL: back it up with pg_dump (see the README's Backups)");
    }
    let from = Backend::sqlite_path(url);
    if !Path::new(from).is_file() {
        bail!("there is no database at {from} to back up");
    }
    if to.exists() {
        bail!("{} exists already: a backup never overwrites a file", to.display());
    }
    let target = to.to_str().context("the backup's path is not valid UTF-8")?;
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("could not make {}", folder.display()))?;
    }
    let DbConn::Sqlite(mut conn) = establish(url)? else {
        bail!("{from} did not open as an SQLite database");
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target)
        .execute(&mut conn)
        .with_context(|| format!("could not write {}", to.display()))?;
    let mut copy = SqliteConnection::establish(target)?;
    let found: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut copy)?;
    if found.len() != 1 || found[0].integrity_check != "ok" {
        bail!("the copy at {} did not pass SQLite's integrity check", to.display());
    }
    Ok(std::fs::metadata(to)?.len())
}

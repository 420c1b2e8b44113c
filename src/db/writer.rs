//! One writer at a time per SQLite file, queued in this process.
//!
//! SQLite allows one writer per database. Without this, concurrent writers poll on
//! `busy_timeout`, whose sleeps grow to 100 ms: under load most writes finish quickly and
//! a few wait hundreds of milliseconds (the load benchmark measured a p99 of 0.8 s at 70 %
//! of peak). Writers of this process wait on a mutex per file instead and are woken the
//! moment the writer before them commits. Writers in other processes (a `servicepunt
//! worker` beside the server) still meet `busy_timeout`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use diesel::sql_types::Text;
use diesel::{QueryResult, QueryableByName, RunQueryDsl, SqliteConnection};

static GATES: LazyLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> = LazyLock::new(Default::default);

#[derive(QueryableByName)]
struct File {
    #[diesel(sql_type = Text)]
    file: String,
}

/// The gate of the database file this connection writes to.
pub fn gate(conn: &mut SqliteConnection) -> QueryResult<Arc<Mutex<()>>> {
    let file = diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .get_result::<File>(conn)?
        .file;
    let mut gates = GATES.lock().unwrap_or_else(PoisonError::into_inner);
    Ok(gates.entry(file).or_default().clone())
}

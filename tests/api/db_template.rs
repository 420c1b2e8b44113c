//! A migrated database to copy from. Every test's app used to run all migrations on an
//! empty database; a copy of one migrated database is the same schema, made once per set
//! of migrations. Its name holds a hash of the migration files, so a changed migration
//! makes a new one, and it is built under another name first, so a run stopped half-way
//! never leaves a half-migrated template behind.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, sql_query, sql_types::BigInt};
use servicepunt::db;
use sha2::{Digest, Sha256};

/// Any number: the PostgreSQL advisory lock that lets one test binary build the template
/// while another waits for it.
const TEMPLATE_LOCK: i64 = 0x5e41_7e3d;

/// The PostgreSQL database to copy each test's database from (`CREATE DATABASE … TEMPLATE`).
pub fn postgres(admin_url: &str, server: &str, query: &str) -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let name = format!("sp_template_{}", migrations_hash("postgres"));
        let mut admin = PgConnection::establish(admin_url).expect("TEST_DATABASE_URL must be reachable");
        run(&mut admin, &format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"));
        if !pg_database_exists(&mut admin, &name) {
            let building = format!("{name}_building");
            run(&mut admin, &format!("DROP DATABASE IF EXISTS {building}"));
            run(&mut admin, &format!("CREATE DATABASE {building}"));
            migrate(&format!("{server}/{building}{query}"));
            run(&mut admin, &format!("ALTER DATABASE {building} RENAME TO {name}"));
        }
        run(&mut admin, &format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"));
        name
    })
}

/// The SQLite file to copy each test's database from.
pub fn sqlite() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let file = dir.join(format!("sqlite_template_{}.db", migrations_hash("sqlite")));
        if !file.exists() {
            let building = tempfile::tempdir_in(dir).expect("a folder under the target directory");
            let path = building.path().join("template.db");
            migrate(&path.to_string_lossy());
            // WAL keeps recent pages beside the file: a checkpoint puts them in it.
            let mut conn = db::establish(&path.to_string_lossy()).expect("the template opens");
            conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
                .expect("a checkpoint");
            drop(conn);
            // A rename is atomic: a test binary beside this one sees no file or the whole.
            std::fs::rename(&path, &file).expect("the template is moved into place");
        }
        file
    })
}

fn migrate(url: &str) {
    let mut conn = db::establish(url).expect("the template opens");
    db::run_migrations(&mut conn).expect("the migrations run");
}

fn run(conn: &mut PgConnection, sql: &str) {
    sql_query(sql).execute(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn pg_database_exists(admin: &mut PgConnection, name: &str) -> bool {
    let found: Count = sql_query(format!(
        "SELECT COUNT(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result(admin)
    .expect("pg_database is readable");
    found.n > 0
}

/// The first 16 hex digits of a SHA-256 over every file under `migrations/{backend}`.
fn migrations_hash(backend: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        hash.update(
            file.strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .as_bytes(),
        );
        hash.update(std::fs::read(&file).expect("a migration file is readable"));
    }
    hex::encode(&hash.finalize()[..8])
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the migrations folder is readable") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

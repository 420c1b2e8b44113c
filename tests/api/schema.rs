//! Both migration trees yield the same schema, and every migration runs up, down and up.
//!
//! Each backend's live schema is compared with one committed description,
//! `tests/api/schema.snapshot` (tables, columns in order, portable types, nullability).
//! The SQLite run and the PostgreSQL run both compare against it, so the two trees agree.
//! After a deliberate change: `UPDATE_SCHEMA_SNAPSHOT=1 cargo test schema` and review.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use servicepunt::db::{self, DbConn};

use crate::helpers::TestDb;

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

/// One line per column: `table.column type null|not null`, in table and column order.
fn describe(conn: &mut DbConn) -> String {
    let mut lines = Vec::new();
    match conn {
        DbConn::Sqlite(c) => {
            let columns: Vec<SqliteColumn> = diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                 CAST(p.\"notnull\" AS BIGINT) AS not_null, CAST(p.pk AS BIGINT) AS pk \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
                 ORDER BY m.name, p.cid",
            )
            .load(c)
            .unwrap();
            for col in columns {
                let declared = col.data_type.to_lowercase();
                // INTEGER PRIMARY KEY is SQLite's 64-bit rowid: the counterpart of BIGINT.
                let portable = if col.pk == 1 && declared == "integer" {
                    "bigint".to_owned()
                } else {
                    declared
                };
                let nullable = col.not_null == 0 && col.pk == 0;
                lines.push(format!(
                    "{}.{} {} {}",
                    col.table_name,
                    col.column_name,
                    portable,
                    if nullable { "null" } else { "not null" }
                ));
            }
        }
        DbConn::Pg(c) => {
            let columns: Vec<PgColumn> = diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
                 is_nullable::text AS is_nullable FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations' \
                 ORDER BY table_name, ordinal_position",
            )
            .load(c)
            .unwrap();
            for col in columns {
                let portable = match col.data_type.as_str() {
                    "timestamp without time zone" => "timestamp".to_owned(),
                    "time without time zone" => "time".to_owned(),
                    other => other.to_owned(),
                };
                let nullable = col.is_nullable == "YES";
                lines.push(format!(
                    "{}.{} {} {}",
                    col.table_name,
                    col.column_name,
                    portable,
                    if nullable { "null" } else { "not null" }
                ));
            }
        }
    }
    lines.join("\n") + "\n"
}

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/schema.snapshot");

#[test]
fn both_trees_yield_the_committed_schema_and_migrations_run_up_down_up() {
    let test_db = TestDb::new();
    let mut conn = db::establish(&test_db.url).unwrap();

    let applied = db::run_migrations(&mut conn).unwrap();
    assert!(!applied.is_empty());
    let up = describe(&mut conn);
    if std::env::var("UPDATE_SCHEMA_SNAPSHOT").is_ok() {
        std::fs::write(SNAPSHOT, &up).unwrap();
    }
    let expected = std::fs::read_to_string(SNAPSHOT).expect("tests/api/schema.snapshot is committed");
    assert_eq!(
        up,
        expected,
        "the {} schema differs from tests/api/schema.snapshot",
        conn.backend()
    );

    let reverted = db::revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    assert_eq!(describe(&mut conn), "\n", "down migrations leave no table behind");

    let reapplied = db::run_migrations(&mut conn).unwrap();
    assert_eq!(reapplied, applied);
    assert_eq!(describe(&mut conn), expected);
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn sqlite_connections_use_wal_and_enforce_foreign_keys() {
    let test_db = TestDb::new();
    if test_db.is_postgres() {
        return; // PostgreSQL always enforces them; the pragmas are SQLite's.
    }
    let mut conn = db::establish(&test_db.url).unwrap();
    let DbConn::Sqlite(c) = &mut conn else { unreachable!() };
    let pragma = |c: &mut diesel::SqliteConnection, q: &str| -> String {
        diesel::sql_query(format!("SELECT CAST(({q}) AS TEXT) AS value"))
            .get_result::<Pragma>(c)
            .unwrap()
            .value
    };
    assert_eq!(pragma(c, "SELECT journal_mode FROM pragma_journal_mode"), "wal");
    assert_eq!(pragma(c, "SELECT foreign_keys FROM pragma_foreign_keys"), "1");
    assert_eq!(pragma(c, "SELECT timeout FROM pragma_busy_timeout"), "10000");
    db::run_migrations(&mut conn).unwrap();
    let orphan = diesel::sql_query(
        "INSERT INTO eligibility_periods (resident_id, basis, valid_from, evidence_ref, verified_by, created_at) \
         VALUES (999, 'wmo', '2026-01-01', 'x', 999, '2026-01-01 00:00:00')",
    )
    .execute(&mut conn);
    assert!(orphan.is_err(), "a row pointing at nothing is refused");
}

#[derive(QueryableByName)]
struct Reference {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// A merge of two resident records moves every reference to the one that goes
/// (`residents::merge_store::REFERENCES`); a table that refers to residents and is not
/// in that list would keep pointing at a record that is removed, or block the removal.
#[test]
fn a_merge_moves_every_reference_to_a_resident() {
    let test_db = TestDb::new();
    let mut conn = db::establish(&test_db.url).unwrap();
    db::run_migrations(&mut conn).unwrap();
    let mut found: Vec<(String, String)> = match &mut conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, f.\"from\" AS column_name \
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" = 'residents'",
        )
        .load::<Reference>(c),
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT c.conrelid::regclass::text AS table_name, a.attname::text AS column_name \
             FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
             WHERE c.contype = 'f' AND c.confrelid = 'residents'::regclass",
        )
        .load::<Reference>(c),
    }
    .unwrap()
    .into_iter()
    .map(|r| (r.table_name, r.column_name))
    .collect();
    found.sort();
    // The pairs of possible duplicates: the merge settles them itself.
    let mut moved: Vec<(String, String)> = servicepunt::residents::merge_store::REFERENCES
        .iter()
        .chain([("resident_duplicates", "known_id")].iter())
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect();
    moved.sort();
    assert_eq!(found, moved);
}

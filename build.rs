//! `embed_migrations!` reads the migration folders while compiling, but cargo only
//! notices changes to files it already tracks: without this a new migration is silently
//! left out until something else changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

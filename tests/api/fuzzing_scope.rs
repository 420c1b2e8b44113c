//! What `scripts/schemathesis` fuzzes as each role: the operations the authorization
//! matrix lets that role call, kept in `scripts/schemathesis_scope.txt`.
//!
//! A role's denied operations answer 401 or 403 before any input is read, and the matrix
//! test proves that for every route and role; fuzzing them again with thousands of bodies
//! tested one refusal and took over half of each role's time. The coordinator may call
//! everything, so every operation is still fuzzed with a token that reaches it.
//!
//! After a change to the matrix: `UPDATE_SCHEMATHESIS_SCOPE=1 cargo test --test api
//! fuzzing_scope` and review the file.

use crate::authorization::{ANON, MATRIX};

const SCOPE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/schemathesis_scope.txt");

const HEADER: &str = "\
# role, method and path of every operation scripts/schemathesis fuzzes as that role: the
# rows of the authorization matrix (tests/api/authorization.rs) that allow the role.
# Written by `UPDATE_SCHEMATHESIS_SCOPE=1 cargo test --test api fuzzing_scope`.
";

fn scope() -> String {
    let mut lines: Vec<String> = MATRIX
        .iter()
        .flat_map(|(method, path, roles)| {
            roles
                .iter()
                .filter(|role| **role != ANON)
                .map(move |role| format!("{role} {method} {path}"))
        })
        .collect();
    lines.sort();
    format!("{HEADER}{}\n", lines.join("\n"))
}

#[test]
fn the_fuzzing_scope_is_the_matrix() {
    let expected = scope();
    if std::env::var("UPDATE_SCHEMATHESIS_SCOPE").is_ok() {
        std::fs::write(SCOPE, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(SCOPE).expect("scripts/schemathesis_scope.txt is committed");
    assert_eq!(
        committed, expected,
        "scripts/schemathesis_scope.txt differs from the authorization matrix; \
         run UPDATE_SCHEMATHESIS_SCOPE=1 cargo test --test api fuzzing_scope"
    );
    for role in [
        "coordinator",
        "finance",
        "werkleider",
        "trajectbegeleider",
        "resident",
        "participant",
    ] {
        assert!(
            expected.lines().any(|line| line.starts_with(&format!("{role} "))),
            "{role} has nothing to fuzz"
        );
    }
}

use std::fmt;

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` select PostgreSQL; anything else is a SQLite file
    /// path (an optional `sqlite://` prefix is accepted).
    pub fn from_url(url: &str) -> Self {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// The path SQLite should open for a URL of this backend.
    pub fn sqlite_path(url: &str) -> &str {
        url.trim().strip_prefix("sqlite://").unwrap_or(url.trim())
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_selects_backend() {
        assert_eq!(Backend::from_url("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("PostgreSQL://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("data/servicepunt.db"), Backend::Sqlite);
        assert_eq!(Backend::from_url("sqlite://data/x.db"), Backend::Sqlite);
        assert_eq!(Backend::sqlite_path("sqlite://data/x.db"), "data/x.db");
    }
}

-- Failed logins, counted per account and per client address over the throttle's window
-- (src/auth/login_failures.rs). In the database, so every instance behind the load
-- balancer sees the same count. The keys are SHA-256 hashes of the email address and
-- of the client address; rows older than the window are deleted as new ones come in.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL CHECK (scope IN ('account', 'client')),
    key_hash TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (scope, key_hash, at);
CREATE INDEX login_failures_at ON login_failures (at);

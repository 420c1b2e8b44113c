-- Each instance reloads, every second, the sessions ended within the last access-token
-- lifetime (src/auth/revocations.rs); only revoked rows are indexed.
CREATE INDEX refresh_tokens_revoked ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;

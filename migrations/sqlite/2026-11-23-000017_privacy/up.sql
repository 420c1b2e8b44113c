-- Who read or changed a resident's or participant's personal data, and when (AVG art.
-- 30/32). Kept apart from the data itself; no content, only the operation.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_user_id BIGINT,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('resident', 'participant')),
    subject_id BIGINT,
    action TEXT NOT NULL,
    operation TEXT NOT NULL,
    status INTEGER NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id, at);
ALTER TABLE residents ADD COLUMN erased_at TIMESTAMP;

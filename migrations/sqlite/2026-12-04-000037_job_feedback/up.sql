-- What a resident says about work done for them: a compliment, passed on to the crew who
-- did it (customers' appreciation is much of what participants build their confidence
-- on), or a complaint, which only the werkleiders and the coordinator see and which a
-- werkleider marks handled with what was done. One of each per job.
CREATE TABLE job_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    kind TEXT NOT NULL CHECK (kind IN ('compliment', 'complaint')),
    message TEXT NOT NULL,
    given_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP,
    handled_by BIGINT REFERENCES users (id),
    handled_note TEXT,
    UNIQUE (job_id, kind)
);
CREATE INDEX job_feedback_open ON job_feedback (kind, handled_at);

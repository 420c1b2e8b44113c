-- A job's crew and time. Each member row repeats the span so "is this participant busy
-- then" is one indexed query.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id BIGINT NOT NULL UNIQUE REFERENCES jobs (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE assignment_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    UNIQUE (assignment_id, participant_id)
);
CREATE INDEX assignment_members_busy ON assignment_members (participant_id, starts_at);

CREATE TABLE planning_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    served_minutes BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    applied_at TIMESTAMP
);

CREATE TABLE proposal_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES planning_proposals (id) ON DELETE CASCADE,
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    participant_ids TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    score BIGINT NOT NULL
);

CREATE TABLE attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    on_date DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'no_show', 'excused')),
    note TEXT,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL,
    UNIQUE (participant_id, on_date)
);

-- Timed messages already sent (reminders, day schedules), so each goes out once.
CREATE TABLE sent_reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    for_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (kind, ref_id, for_date)
);

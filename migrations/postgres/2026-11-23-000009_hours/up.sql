-- Worked time. An approved log is never changed: a correction is a new log that
-- supersedes it, with who, when and why.
CREATE TABLE work_logs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    assignment_id BIGINT REFERENCES assignments (id),
    job_id BIGINT REFERENCES jobs (id),
    activity TEXT CHECK (activity IN ('job', 'office', 'training', 'other_project')),
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP NOT NULL,
    break_minutes BIGINT NOT NULL,
    minutes BIGINT NOT NULL,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
    entered_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP,
    rejection_reason TEXT,
    supersedes_id BIGINT REFERENCES work_logs (id),
    correction_reason TEXT
);
CREATE INDEX work_logs_participant ON work_logs (participant_id, started_at);
CREATE INDEX work_logs_job ON work_logs (job_id);

-- The participatiebaan bonus rate, from a date on.
CREATE TABLE bonus_rates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    valid_from DATE NOT NULL UNIQUE,
    cents_per_hour BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);

-- Issued (frozen) statements; a later correction adds a supplement, never a change.
CREATE TABLE bonus_statements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    year BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'supplement')),
    minutes BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    months TEXT NOT NULL,
    issued_by BIGINT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL
);
CREATE INDEX bonus_statements_year ON bonus_statements (year, participant_id);

ALTER TABLE jobs ADD COLUMN billable_minutes BIGINT;
-- Bill the crew's person-hours instead of the working span (most services bill the span,
-- so a colleague sent along to learn costs the resident nothing).
ALTER TABLE service_versions ADD COLUMN bill_per_person BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE jobs ADD COLUMN confirm_due_at TIMESTAMP;

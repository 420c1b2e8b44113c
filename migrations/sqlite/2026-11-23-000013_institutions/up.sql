-- Care homes and the housing corporation pay by invoice at their hourly rate, not with
-- cheques. A job for an institution is charged once, on settlement, at the rate of that day.
CREATE TABLE institutions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    hourly_rate_cents BIGINT NOT NULL CHECK (hourly_rate_cents > 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
ALTER TABLE jobs ADD COLUMN institution_id BIGINT REFERENCES institutions (id);
CREATE TABLE institution_charges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id BIGINT NOT NULL UNIQUE REFERENCES jobs (id),
    institution_id BIGINT NOT NULL REFERENCES institutions (id),
    charged_on DATE NOT NULL,
    minutes BIGINT NOT NULL,
    hourly_rate_cents BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX institution_charges_month ON institution_charges (charged_on, institution_id);

-- A job (an order for a klus or dienst) and its life: every status change is an event.
CREATE TABLE jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id BIGINT NOT NULL REFERENCES services (id),
    service_version_id BIGINT NOT NULL REFERENCES service_versions (id),
    category TEXT NOT NULL,
    recipient_id BIGINT NOT NULL REFERENCES residents (id),
    requester_user_id BIGINT REFERENCES users (id),
    channel TEXT NOT NULL CHECK (channel IN ('app', 'phone', 'counter')),
    description TEXT NOT NULL,
    street TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    wijk TEXT,
    -- postcode and house number, normalised: the anti-splitting rule counts per address
    address_key TEXT NOT NULL,
    estimated_minutes BIGINT NOT NULL,
    otherwise_not_done BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    needs_review TEXT,
    review_reason TEXT,
    refusal_code TEXT,
    refusal_note TEXT,
    priority BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_at TIMESTAMP,
    -- the moment that orders the waiting list (acceptance, earlier for priority residents)
    queue_at TIMESTAMP,
    scheduled_start TIMESTAMP,
    scheduled_end TIMESTAMP,
    cancelled_late BOOLEAN,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX jobs_address ON jobs (address_key, category, created_at);
CREATE INDEX jobs_status ON jobs (status, service_id);
CREATE INDEX jobs_recipient ON jobs (recipient_id);

CREATE TABLE job_windows (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    on_date DATE NOT NULL,
    dagdeel TEXT CHECK (dagdeel IN ('morning', 'afternoon', 'evening')),
    from_time TIME,
    until_time TIME
);
CREATE INDEX job_windows_job ON job_windows (job_id);

CREATE TABLE job_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id);

-- Idempotency-Key: the first response to a key is stored and replayed to retries.
CREATE TABLE idempotency_keys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code BIGINT NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, idem_key)
);

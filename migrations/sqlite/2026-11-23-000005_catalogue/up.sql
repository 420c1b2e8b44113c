-- The catalogue of klussen and diensten. A service's terms live in versions: a change
-- writes a new version, and a job keeps the version it was ordered under.
CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    current_version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE service_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id BIGINT NOT NULL REFERENCES services (id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('klus', 'dienst')),
    category TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    -- The five-hour rule applies to work around the home.
    around_home BOOLEAN NOT NULL,
    -- On the list agreed with local entrepreneurs; a disallowed service cannot be ordered.
    allowed BOOLEAN NOT NULL,
    not_allowed_reason_nl TEXT,
    not_allowed_reason_en TEXT,
    required_skill TEXT,
    needs_solo_clearance BOOLEAN NOT NULL,
    default_minutes BIGINT NOT NULL,
    max_minutes BIGINT NOT NULL,
    min_crew BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT REFERENCES users (id),
    UNIQUE (service_id, version)
);

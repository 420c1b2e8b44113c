-- Recurring visits (a weekly shopping round, a fortnightly visit for company): a series
-- orders an ordinary job for each date of its pattern, a fortnight ahead, as the resident
-- or staff member who made it. Only services not around the home: a klus around the home
-- repeated every week is what the five-hour rule forbids.
CREATE TABLE job_series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_id BIGINT NOT NULL REFERENCES residents (id),
    requester_user_id BIGINT NOT NULL REFERENCES users (id),
    service_id BIGINT NOT NULL REFERENCES services (id),
    channel TEXT NOT NULL CHECK (channel IN ('app', 'phone', 'counter')),
    description TEXT NOT NULL,
    estimated_minutes BIGINT,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    dagdeel TEXT NOT NULL CHECK (dagdeel IN ('morning', 'afternoon', 'evening')),
    every_weeks BIGINT NOT NULL CHECK (every_weeks IN (1, 2)),
    starts_on DATE NOT NULL,
    ends_on DATE,
    stopped_at TIMESTAMP,
    stop_reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX job_series_recipient ON job_series (recipient_id);

-- The job ordered for each date of a series: once per date, however often the round runs.
CREATE TABLE job_series_visits (
    series_id BIGINT NOT NULL REFERENCES job_series (id),
    on_date DATE NOT NULL,
    job_id BIGINT NOT NULL UNIQUE REFERENCES jobs (id),
    PRIMARY KEY (series_id, on_date)
);

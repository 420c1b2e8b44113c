-- Days the servicepunt is closed (a public holiday, a team day): nobody is sent out, so
-- planning refuses work on them and work planned before the day was closed shows as
-- broken. One row per day; the reason is what the werkleiders and the board show.
CREATE TABLE closed_days (
    day DATE PRIMARY KEY,
    reason TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);

-- What the coordinator aims for in a month: minutes of klussen and of diensten
-- delivered, and income from the services, so that the project can run on that income
-- in time. One row per month; setting it again replaces it.
CREATE TABLE service_targets (
    month TEXT PRIMARY KEY NOT NULL,
    klus_minutes BIGINT NOT NULL CHECK (klus_minutes >= 0),
    dienst_minutes BIGINT NOT NULL CHECK (dienst_minutes >= 0),
    income_cents BIGINT NOT NULL CHECK (income_cents >= 0),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL
);

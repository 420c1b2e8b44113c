-- Who is on call on a day: participants work at private addresses, some with a past that
-- makes it hard, and a professional must always be reachable when something happens
-- there. One staff member per day, with the phone number they answer (often the
-- servicepunt's on-call mobile). Their name and that number are on the day's schedule.
CREATE TABLE on_call_days (
    day DATE PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    phone TEXT NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL
);

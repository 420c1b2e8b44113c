-- The intake roster of the Werkplein day. Each coach works one day a week at the
-- Werkplein, where the klantmanagers of the sociale dienst book intakes with them on a
-- roster at the counter. A coach opens times on a day; a booking names the client
-- referred and the klantmanager who booked. Someone who is not (yet) a participant:
-- only the coach of the slot and the coordinator read the names, and the daily timer
-- deletes a day's slots four weeks after it.
CREATE TABLE intake_slots (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    coach_user_id BIGINT NOT NULL REFERENCES users (id),
    on_date DATE NOT NULL,
    from_time TIME NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes BETWEEN 15 AND 180),
    client_name TEXT,
    case_manager TEXT,
    note TEXT,
    booked_by BIGINT REFERENCES users (id),
    booked_at TIMESTAMP,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((client_name IS NULL) = (booked_at IS NULL))
);
CREATE UNIQUE INDEX intake_slots_start ON intake_slots (coach_user_id, on_date, from_time);
CREATE INDEX intake_slots_day ON intake_slots (on_date);

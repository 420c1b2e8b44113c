-- A participant's ramp-up plan: the hours a week they work from a given week on, below
-- their contracted hours, while they get used to a working week. Each step holds from
-- the Monday of its week until the next; planning keeps to it.
CREATE TABLE ramp_up_steps (
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    week_start DATE NOT NULL,
    minutes_per_week BIGINT NOT NULL CHECK (minutes_per_week > 0),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (participant_id, week_start)
);

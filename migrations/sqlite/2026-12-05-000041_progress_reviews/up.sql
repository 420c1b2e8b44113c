-- Progress reviews: at the start of a trajectory, once a month or so, and at its end the
-- coach talks the participant's progress through with them, writes down what went well
-- and what comes next, and the step on the participation ladder (VNG, 1 'een geïsoleerd
-- bestaan' to 6 'betaald werk') they stand on. One per trajectory and day; a coach may
-- correct one. Welfare data: the coach and the participant read it, no one else.
CREATE TABLE progress_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trajectory_id BIGINT NOT NULL REFERENCES trajectories (id),
    held_on DATE NOT NULL,
    ladder_step INTEGER NOT NULL CHECK (ladder_step BETWEEN 1 AND 6),
    summary TEXT NOT NULL,
    written_by BIGINT NOT NULL REFERENCES users (id),
    written_at TIMESTAMP NOT NULL,
    corrected_at TIMESTAMP,
    UNIQUE (trajectory_id, held_on)
);

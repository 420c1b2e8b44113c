-- The trajectory plan (diagnose-trajectplan): the goals a coach writes down with the
-- participant, which the participant signs. Each change is a new version; a version
-- once written is never changed, only signed. Welfare data: the coach and the
-- participant read it, no one else.
CREATE TABLE trajectory_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trajectory_id BIGINT NOT NULL REFERENCES trajectories (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    goals TEXT NOT NULL,
    written_by BIGINT NOT NULL REFERENCES users (id),
    written_at TIMESTAMP NOT NULL,
    signed_at TIMESTAMP,
    UNIQUE (trajectory_id, version)
);

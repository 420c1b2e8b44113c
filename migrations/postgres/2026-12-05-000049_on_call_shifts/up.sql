-- The on-call rota per shift (dagdeel), not per day: a professional must be reachable
-- whenever participants work at private addresses, and the werkleider or coach who
-- answers the morning need not be the one who answers the evening. A day set before this
-- keeps its staff member for each of its shifts.
CREATE TABLE on_call_shifts (
    day DATE NOT NULL,
    dagdeel TEXT NOT NULL CHECK (dagdeel IN ('morning', 'afternoon', 'evening')),
    user_id BIGINT NOT NULL REFERENCES users (id),
    phone TEXT NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (day, dagdeel)
);

INSERT INTO on_call_shifts (day, dagdeel, user_id, phone, set_by, set_at)
SELECT d.day, s.dagdeel, d.user_id, d.phone, d.set_by, d.set_at
FROM on_call_days d
CROSS JOIN (SELECT 'morning' AS dagdeel UNION ALL SELECT 'afternoon' UNION ALL SELECT 'evening') s;

DROP TABLE on_call_days;

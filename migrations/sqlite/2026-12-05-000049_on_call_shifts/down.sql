CREATE TABLE on_call_days (
    day DATE PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    phone TEXT NOT NULL,
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL
);

-- A day keeps whoever answered its earliest shift on the rota.
INSERT INTO on_call_days (day, user_id, phone, set_by, set_at)
SELECT s.day, s.user_id, s.phone, s.set_by, s.set_at
FROM on_call_shifts s
WHERE NOT EXISTS (
    SELECT 1 FROM on_call_shifts e
    WHERE e.day = s.day
      AND (CASE e.dagdeel WHEN 'morning' THEN 1 WHEN 'afternoon' THEN 2 ELSE 3 END)
        < (CASE s.dagdeel WHEN 'morning' THEN 1 WHEN 'afternoon' THEN 2 ELSE 3 END)
);

DROP TABLE on_call_shifts;

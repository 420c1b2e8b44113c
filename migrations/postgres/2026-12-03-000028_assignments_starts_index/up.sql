-- The planning board (and, from 16:00, the timers' reminders for tomorrow) reads the
-- assignments starting in a period; with no index on the start that read every
-- assignment ever made, so building the board slowed as the history grew.
CREATE INDEX assignments_starts ON assignments (starts_at);

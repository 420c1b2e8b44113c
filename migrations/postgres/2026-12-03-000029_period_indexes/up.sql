-- Reports read a month (or a year) of one table by its time column, which no index led
-- with, so each read every row ever written. With a million jobs, two million work logs
-- and half a million Stripe events (SQLite, warm cache) a month's jobs took 0.12 s, the
-- competition report's 0.2 s, its approved hours 0.4 s and its Stripe events 0.05 s; now
-- 3, 8, 14 and 3 ms:
-- the jobs ordered in a month (monthly report, competition report, the jobs list by date),
CREATE INDEX jobs_created ON jobs (created_at);
-- the approved hours of a month or year (monthly report, bonus statements),
CREATE INDEX work_logs_status_started ON work_logs (status, started_at);
-- a month's Stripe events (payment reconciliation).
CREATE INDEX stripe_events_received ON stripe_events (received_at);

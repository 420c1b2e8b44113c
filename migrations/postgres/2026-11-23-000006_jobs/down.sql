DROP TABLE idempotency_keys;
DROP TABLE job_events;
DROP TABLE job_windows;
DROP TABLE jobs;

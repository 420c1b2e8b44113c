DROP INDEX job_events_status_at;
CREATE INDEX job_events_status_at ON job_events (to_status, at);

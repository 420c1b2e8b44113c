DROP INDEX jobs_queue;
DROP INDEX job_events_status_at;

-- Found by the load benchmark (bench/run): every order and every job view counts the
-- jobs of its service planned lately (the waiting time estimate) and its place in the
-- queue; without these, both scan every job event and every waiting job.
CREATE INDEX job_events_status_at ON job_events (to_status, at);
CREATE INDEX jobs_queue ON jobs (status, service_id, queue_at, id);

-- The waiting-time estimate counts, per service, the jobs scheduled in the last 28 days
-- (every order, job view, waiting list and planning board). With the job id in the index
-- the count reads the index alone instead of also fetching each event row.
DROP INDEX job_events_status_at;
CREATE INDEX job_events_status_at ON job_events (to_status, at, job_id);

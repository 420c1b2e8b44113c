DROP INDEX call_tasks_open_for_job;
ALTER TABLE call_tasks DROP COLUMN superseded_by;
ALTER TABLE call_tasks DROP COLUMN job_id;

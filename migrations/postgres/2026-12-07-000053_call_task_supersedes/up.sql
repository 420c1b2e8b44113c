-- A message on the call sheet about a job is out of date once a later one about the same
-- job is waiting: "you are on the waiting list" is not read out beside "we come on
-- Tuesday". The later message takes the earlier one's place on the sheet.
ALTER TABLE call_tasks ADD COLUMN job_id BIGINT REFERENCES jobs (id);
ALTER TABLE call_tasks ADD COLUMN superseded_by BIGINT REFERENCES call_tasks (id);
UPDATE call_tasks SET job_id = (data::jsonb ->> 'job_id')::BIGINT
    WHERE jsonb_typeof(data::jsonb -> 'job_id') = 'number';
UPDATE call_tasks SET superseded_by = (
        SELECT MAX(later.id) FROM call_tasks later
        WHERE later.job_id = call_tasks.job_id AND later.id > call_tasks.id)
    WHERE done_at IS NULL AND job_id IS NOT NULL;
CREATE INDEX call_tasks_open_for_job ON call_tasks (job_id) WHERE done_at IS NULL AND superseded_by IS NULL;

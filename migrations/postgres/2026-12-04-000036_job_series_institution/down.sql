ALTER TABLE job_series DROP COLUMN institution_id;

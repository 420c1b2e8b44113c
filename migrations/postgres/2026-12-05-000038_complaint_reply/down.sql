ALTER TABLE job_feedback DROP COLUMN handled_reply;

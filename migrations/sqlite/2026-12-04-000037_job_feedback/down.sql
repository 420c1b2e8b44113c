DROP TABLE job_feedback;

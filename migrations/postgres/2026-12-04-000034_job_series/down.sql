DROP TABLE job_series_visits;
DROP TABLE job_series;

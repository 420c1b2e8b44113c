DROP INDEX stripe_events_received;
DROP INDEX work_logs_status_started;
DROP INDEX jobs_created;

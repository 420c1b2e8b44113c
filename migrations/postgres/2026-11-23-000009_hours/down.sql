ALTER TABLE jobs DROP COLUMN confirm_due_at;
ALTER TABLE jobs DROP COLUMN billable_minutes;
ALTER TABLE service_versions DROP COLUMN bill_per_person;
DROP TABLE bonus_statements;
DROP TABLE bonus_rates;
DROP TABLE work_logs;

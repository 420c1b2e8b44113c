-- The timers remove audit entries past their retention every minute (`at` before the
-- cut-off). The only index starts with the subject, so each round read the whole log,
-- the table that grows fastest, inside a write transaction.
CREATE INDEX audit_log_at ON audit_log (at);

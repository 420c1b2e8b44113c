DROP TABLE audit_log;
ALTER TABLE residents DROP COLUMN erased_at;

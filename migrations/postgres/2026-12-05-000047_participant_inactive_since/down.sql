ALTER TABLE participants DROP COLUMN inactive_since;

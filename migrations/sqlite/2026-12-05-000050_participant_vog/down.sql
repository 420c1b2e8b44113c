ALTER TABLE participants DROP COLUMN vog_issued_on;

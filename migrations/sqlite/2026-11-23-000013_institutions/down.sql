DROP TABLE institution_charges;
ALTER TABLE jobs DROP COLUMN institution_id;
DROP TABLE institutions;

-- A series ordered on an institution's account (a care home's weekly company visit for
-- one of its residents): each visit is charged to the institution at its rate, as a
-- one-off order on its account would be. NULL: the resident pays with cheques.
ALTER TABLE job_series ADD COLUMN institution_id BIGINT REFERENCES institutions (id);

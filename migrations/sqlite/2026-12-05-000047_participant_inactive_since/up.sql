-- When a participant was made inactive: the welfare retention of someone who never had a
-- trajectory counts from it. It was read from updated_at, which any later correction of
-- the profile moved on. Those inactive now are taken to have left at their last change.
ALTER TABLE participants ADD COLUMN inactive_since TIMESTAMP;
UPDATE participants SET inactive_since = updated_at WHERE active = FALSE;

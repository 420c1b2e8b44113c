ALTER TABLE intake_slots DROP COLUMN came_noted_at;
ALTER TABLE intake_slots DROP COLUMN came;

DROP TABLE intake_slots;

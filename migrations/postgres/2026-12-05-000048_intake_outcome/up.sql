-- Whether the client came to a booked intake, written down by the coach once it has
-- begun, so that the klantmanager who booked hears of a missed intake at the next weekly
-- meeting (digest 4.7 #35: municipalities want to know when someone does not appear;
-- telling them stays the coach's own act). NULL until written down; it goes with the slot.
ALTER TABLE intake_slots ADD COLUMN came BOOLEAN;
ALTER TABLE intake_slots ADD COLUMN came_noted_at TIMESTAMP;

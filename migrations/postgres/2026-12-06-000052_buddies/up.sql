-- Maatjes (buddies): someone who finished their own trajectory here and offered to help
-- a newcomer find their way, because they know the newcomer's world better than any
-- coach (digest 4.11 #52). A volunteer's offer is their consent to be named to the
-- coaches; a coach pairs one of their caseload with a volunteer who agreed in person.
-- One buddy at a time per participant; a pairing ends, it is not deleted, so the coach
-- sees who helped before.
CREATE TABLE buddy_volunteers (
    participant_id BIGINT PRIMARY KEY REFERENCES participants (id),
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE buddies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    buddy_id BIGINT NOT NULL REFERENCES participants (id),
    starts_on DATE NOT NULL,
    ended_on DATE,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (participant_id <> buddy_id),
    CHECK (ended_on IS NULL OR ended_on >= starts_on)
);

CREATE UNIQUE INDEX buddies_one_open ON buddies (participant_id) WHERE ended_on IS NULL;
CREATE INDEX buddies_of_buddy ON buddies (buddy_id);

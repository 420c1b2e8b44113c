-- Someone the desk registered who registers in the app as well gets a second record:
-- the same person, without the desk's cheques, jobs and helpers. Telling the registrant
-- would show a stranger who is a client, and linking them by name and address would let
-- a stranger take over the record. So the pair is noted here for the desk, which merges
-- the app's record into its own or says they are two people. `registered_id` is the
-- record made in the app; it has no reference, as a merge removes that record and this
-- row stays to say who merged it and when.
CREATE TABLE resident_duplicates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registered_id BIGINT NOT NULL,
    known_id BIGINT NOT NULL REFERENCES residents (id),
    found_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by BIGINT REFERENCES users (id),
    outcome TEXT CHECK (outcome IN ('merged', 'different_people')),
    CHECK (registered_id <> known_id),
    CHECK ((resolved_at IS NULL) = (outcome IS NULL)),
    UNIQUE (registered_id, known_id)
);

CREATE INDEX resident_duplicates_open ON resident_duplicates (found_at) WHERE resolved_at IS NULL;

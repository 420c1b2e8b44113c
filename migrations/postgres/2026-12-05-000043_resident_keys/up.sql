-- Keys residents leave with the servicepunt, so the crew can get in when they cannot
-- open the door themselves. A key carries a tag with a number, never the address: a lost
-- key must not lead anyone to a house. From receipt until it is given back, someone at
-- the servicepunt answers for it.
CREATE TABLE resident_keys (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    tag TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    received_by BIGINT NOT NULL REFERENCES users (id),
    returned_at TIMESTAMP,
    returned_by BIGINT REFERENCES users (id)
);
-- No two keys held at once under one tag.
CREATE UNIQUE INDEX resident_keys_held_tag ON resident_keys (tag) WHERE returned_at IS NULL;

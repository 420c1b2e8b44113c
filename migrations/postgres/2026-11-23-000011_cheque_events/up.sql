-- Every change to a cheque after its sale, with who, when and why.
CREATE TABLE cheque_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cheque_id BIGINT NOT NULL REFERENCES cheques (id),
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX cheque_events_cheque ON cheque_events (cheque_id);

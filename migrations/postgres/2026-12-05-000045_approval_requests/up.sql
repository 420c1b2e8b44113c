-- Decisions the sociale dienst keeps the last word on ('eindregie'): extra time in the
-- project, moving on to another trajectory, an assessment or a psychologist, care, and
-- whether someone participates to their capacity. The coach asks the participant's
-- klantmanager (weekly, at the Werkplein) and writes down the answer. Welfare data: the
-- coach of the caseload and the coordinator, no one else.
CREATE TABLE approval_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trajectory_id BIGINT NOT NULL REFERENCES trajectories (id),
    kind TEXT NOT NULL,
    proposal TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'agreed', 'declined', 'withdrawn')),
    asked_by BIGINT NOT NULL REFERENCES users (id),
    asked_at TIMESTAMP NOT NULL,
    answered_on DATE,
    case_manager TEXT,
    answer_note TEXT,
    closed_by BIGINT REFERENCES users (id),
    closed_at TIMESTAMP
);
-- One question of a kind open at a time per trajectory.
CREATE UNIQUE INDEX approval_requests_pending ON approval_requests (trajectory_id, kind) WHERE status = 'pending';
CREATE INDEX approval_requests_trajectory ON approval_requests (trajectory_id);

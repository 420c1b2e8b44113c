-- Participants (deelnemers): their work profile. Welfare data lives in trajectories,
-- shown only to coaches.
CREATE TABLE participants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT UNIQUE REFERENCES users (id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    postcode TEXT,
    wijk TEXT,
    -- comma-separated lists, e.g. 'nl,en' and 'tuinieren,klussen'
    languages TEXT NOT NULL,
    skills TEXT NOT NULL,
    interests TEXT NOT NULL,
    aversions TEXT NOT NULL,
    clearance TEXT NOT NULL CHECK (clearance IN ('new', 'solo_klus', 'solo_dienst', 'onboarder')),
    contracted_minutes_per_week BIGINT NOT NULL,
    coach_user_id BIGINT REFERENCES users (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The weekly pattern: which dagdelen (0 = Monday) the participant can work.
CREATE TABLE participant_availability (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    dagdeel TEXT NOT NULL CHECK (dagdeel IN ('morning', 'afternoon', 'evening')),
    UNIQUE (participant_id, weekday, dagdeel)
);

CREATE TABLE participant_absences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sick', 'training', 'appointment', 'leave')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    note TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX participant_absences_dates ON participant_absences (participant_id, starts_on);

CREATE TABLE clearance_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    from_clearance TEXT,
    to_clearance TEXT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- Two participants who must not be sent together (either may be listed first).
CREATE TABLE do_not_pair (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    other_participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (participant_id, other_participant_id)
);

CREATE TABLE trajectories (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('orientation', 'participatiebaan', 'detachering')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    extended_until DATE,
    extension_justification TEXT,
    ended_on DATE,
    exit_reason TEXT CHECK (exit_reason IN ('regular_work', 'care_route', 'wsw', 'benefit_ended', 'other')),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX trajectories_participant ON trajectories (participant_id);

-- Residents' preferred participants (continuity).
CREATE TABLE preferred_participants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (resident_id, participant_id)
);

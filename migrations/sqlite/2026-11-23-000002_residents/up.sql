-- A resident (wijkbewoner). user_id links the resident's own account, when they have one;
-- many elderly residents are registered by staff and have none.
CREATE TABLE residents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT UNIQUE REFERENCES users (id),
    name TEXT NOT NULL,
    -- the name lower-cased by the application, for case-insensitive search on both backends
    name_key TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    street TEXT NOT NULL,
    house_number TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    wijk TEXT,
    birth_date DATE,
    language TEXT NOT NULL DEFAULT 'nl',
    staff_notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX residents_postcode ON residents (postcode);

-- A reduced-rate entitlement. Only its period, who verified it and a reference to the
-- evidence are kept: never the content of a Wmo indication.
CREATE TABLE eligibility_periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    basis TEXT NOT NULL CHECK (basis IN ('wmo')),
    valid_from DATE NOT NULL,
    valid_until DATE,
    evidence_ref TEXT NOT NULL,
    verified_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX eligibility_periods_resident ON eligibility_periods (resident_id);

-- An account allowed to act for a resident (a daughter ordering for her mother), with the
-- moment consent was given and who recorded it.
CREATE TABLE resident_proxies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    proxy_user_id BIGINT NOT NULL REFERENCES users (id),
    relationship TEXT,
    consent_at TIMESTAMP NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    revoked_at TIMESTAMP,
    UNIQUE (resident_id, proxy_user_id)
);
CREATE INDEX resident_proxies_proxy ON resident_proxies (proxy_user_id);

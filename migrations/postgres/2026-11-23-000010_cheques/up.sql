-- A double-entry journal: every money or cheque movement posts lines that sum to zero
-- (debit positive, credit negative) in the same transaction as the change.
CREATE TABLE journal_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_date DATE NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE journal_lines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES journal_entries (id),
    account TEXT NOT NULL,
    dimension TEXT,
    amount_cents BIGINT NOT NULL
);
CREATE INDEX journal_lines_account ON journal_lines (account, entry_id);

CREATE TABLE cheque_products (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    face_minutes BIGINT NOT NULL,
    reduced_yearly_cap BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE cheque_prices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES cheque_products (id),
    valid_from DATE NOT NULL,
    regular_cents BIGINT NOT NULL,
    reduced_cents BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, valid_from)
);

CREATE TABLE cash_sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opened_by BIGINT NOT NULL REFERENCES users (id),
    opened_at TIMESTAMP NOT NULL,
    float_cents BIGINT NOT NULL,
    closed_by BIGINT REFERENCES users (id),
    closed_at TIMESTAMP,
    expected_cents BIGINT,
    counted_cents BIGINT
);

CREATE TABLE cheque_sales (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('cash', 'pin', 'online')),
    cash_session_id BIGINT REFERENCES cash_sessions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    sold_by BIGINT REFERENCES users (id),
    product_id BIGINT NOT NULL REFERENCES cheque_products (id),
    quantity BIGINT NOT NULL,
    tariff TEXT NOT NULL CHECK (tariff IN ('regular', 'reduced')),
    unit_price_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A cheque keeps the price and validity it was sold with. Reduced cheques are personal.
CREATE TABLE cheques (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE,
    sale_id BIGINT NOT NULL REFERENCES cheque_sales (id),
    product_id BIGINT NOT NULL REFERENCES cheque_products (id),
    owner_resident_id BIGINT NOT NULL REFERENCES residents (id),
    face_minutes BIGINT NOT NULL,
    tariff TEXT NOT NULL CHECK (tariff IN ('regular', 'reduced')),
    price_cents BIGINT NOT NULL,
    subsidy_cents BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sold', 'redeemed', 'refunded', 'expired', 'void')),
    valid_until DATE NOT NULL,
    redeemed_job_id BIGINT REFERENCES jobs (id),
    status_changed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cheques_owner ON cheques (owner_resident_id, status, valid_until);

-- A self-registration waits here until its address is confirmed with the mailed token;
-- only then are the account and resident record made (src/auth/registrations.rs). So the
-- answer to a registration is the same whether or not the address has an account, and
-- nobody's details are kept for an address they could not prove. Rows go when
-- confirmed, replaced or expired (the daily timer deletes expired ones).
CREATE TABLE registrations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    -- The name, phone, address and language as entered (JSON).
    details TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX registrations_expires ON registrations (expires_at);

-- At most a few registration emails a day go to one address (src/auth/registrations.rs).
CREATE INDEX outbox_recipient ON outbox (recipient_email, created_at);

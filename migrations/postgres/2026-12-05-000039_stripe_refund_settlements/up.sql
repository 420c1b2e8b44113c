-- Finance settles a refund Stripe made that could not be booked against cheques, so the
-- Stripe reconciliation stops listing it. A refund of one of our payments (part of a
-- purchase given back) is booked as goodwill out of Stripe clearing (entry_id); one of a
-- payment not ours is acknowledged without booking, as its payment was never ours
-- either. Each settles what the charge's last report left unbooked, once.
CREATE TABLE stripe_refund_settlements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    charge_id TEXT NOT NULL,
    report_id BIGINT NOT NULL UNIQUE REFERENCES stripe_events (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    entry_id BIGINT REFERENCES journal_entries (id),
    note TEXT NOT NULL,
    settled_by BIGINT NOT NULL REFERENCES users (id),
    settled_at TIMESTAMP NOT NULL
);
CREATE INDEX stripe_refund_settlements_charge ON stripe_refund_settlements (charge_id);

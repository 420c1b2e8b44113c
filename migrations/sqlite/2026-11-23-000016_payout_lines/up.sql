-- What a Stripe payout contains (its balance transactions), matched to our checkouts by
-- payment, so finance sees fees and anything Stripe paid that we cannot place.
ALTER TABLE stripe_payouts ADD COLUMN fee_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stripe_payouts ADD COLUMN lines_net_cents BIGINT;
CREATE TABLE stripe_payout_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payout_id TEXT NOT NULL,
    transaction_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    fee_cents BIGINT NOT NULL,
    net_cents BIGINT NOT NULL,
    payment_intent TEXT,
    checkout_id BIGINT REFERENCES checkouts (id)
);
CREATE INDEX stripe_payout_lines_payout ON stripe_payout_lines (payout_id);

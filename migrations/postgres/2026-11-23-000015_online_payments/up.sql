-- Online purchases through Stripe Checkout. A checkout is created only after Stripe
-- answered with a session; the cheques are issued when the paid event arrives, at the
-- price quoted when the checkout was made.
CREATE TABLE checkouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    stripe_session_id TEXT NOT NULL UNIQUE,
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    ordered_by BIGINT NOT NULL REFERENCES users (id),
    product_id BIGINT NOT NULL REFERENCES cheque_products (id),
    quantity BIGINT NOT NULL,
    tariff TEXT NOT NULL CHECK (tariff IN ('regular', 'reduced')),
    unit_price_cents BIGINT NOT NULL,
    subsidy_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'expired')),
    payment_intent TEXT,
    sale_id BIGINT REFERENCES cheque_sales (id),
    created_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP
);
CREATE INDEX checkouts_payment_intent ON checkouts (payment_intent);

-- Every Stripe event once, by its id: a replay finds its row and changes nothing. Only
-- the fields used are kept, never the payload (it holds names and addresses).
CREATE TABLE stripe_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    object_id TEXT,
    amount_cents BIGINT,
    outcome TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);

-- Refunds we asked Stripe for: written before the call so a charge.refunded event that
-- overtakes our own bookkeeping does not refund a second cheque.
CREATE TABLE stripe_refunds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cheque_id BIGINT NOT NULL UNIQUE REFERENCES cheques (id),
    checkout_id BIGINT NOT NULL REFERENCES checkouts (id),
    amount_cents BIGINT NOT NULL,
    refund_id TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('requested', 'succeeded')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE stripe_payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payout_id TEXT NOT NULL UNIQUE,
    amount_cents BIGINT NOT NULL,
    arrival_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Closed months: no journal line may be dated inside one.
CREATE TABLE closed_periods (
    month TEXT PRIMARY KEY,
    closed_by BIGINT NOT NULL REFERENCES users (id),
    closed_at TIMESTAMP NOT NULL
);
CREATE TABLE period_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('closed', 'reopened')),
    reason TEXT,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL
);

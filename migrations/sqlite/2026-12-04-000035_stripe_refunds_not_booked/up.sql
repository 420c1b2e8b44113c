-- Of a refund Stripe reported (`charge.refunded`), the part we could not book against the
-- purchase's cheques: a refund of a payment not ours, or one made in Stripe's dashboard
-- that is not a whole number of unused cheques. Listed for finance in the Stripe
-- reconciliation; NULL for every other event.
ALTER TABLE stripe_events ADD COLUMN unbooked_cents BIGINT;

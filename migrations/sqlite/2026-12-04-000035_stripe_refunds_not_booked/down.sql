ALTER TABLE stripe_events DROP COLUMN unbooked_cents;

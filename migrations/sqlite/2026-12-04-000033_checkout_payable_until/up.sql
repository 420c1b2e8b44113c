-- Until when a checkout can be paid: each Stripe Checkout Session is asked to expire about
-- an hour after it is made, and its reduced cheques count against the resident's yearly
-- cap until then. NULL for a checkout made before: Stripe's default, 24 hours.
ALTER TABLE checkouts ADD COLUMN payable_until TIMESTAMP;

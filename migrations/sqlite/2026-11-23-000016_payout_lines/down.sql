DROP TABLE stripe_payout_lines;
ALTER TABLE stripe_payouts DROP COLUMN lines_net_cents;
ALTER TABLE stripe_payouts DROP COLUMN fee_cents;

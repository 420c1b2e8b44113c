DROP TABLE period_events;
DROP TABLE closed_periods;
DROP TABLE stripe_payouts;
DROP TABLE stripe_refunds;
DROP TABLE stripe_events;
DROP TABLE checkouts;

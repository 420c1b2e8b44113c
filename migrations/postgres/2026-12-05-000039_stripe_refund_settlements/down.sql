DROP TABLE stripe_refund_settlements;

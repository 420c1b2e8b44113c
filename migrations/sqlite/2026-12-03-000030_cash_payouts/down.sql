DROP TABLE cash_payouts;

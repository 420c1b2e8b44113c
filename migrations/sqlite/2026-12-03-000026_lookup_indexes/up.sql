-- Lookups by a column no index led with, each a scan of a table that grows with every
-- sale, redemption or payment. With a million cheques (SQLite) the first three took
-- 60–90 ms a query and now under 1 ms:
-- the cheques that paid for a job (every redemption and job confirmation),
CREATE INDEX cheques_redeemed_job ON cheques (redeemed_job_id);
-- the cheques of a sale (receipts, online sales),
CREATE INDEX cheques_sale ON cheques (sale_id);
-- a cheque's subsidy claims (the fiscal retention round, per erased resident, every minute),
CREATE INDEX subsidy_claims_cheque ON subsidy_claims (cheque_id);
-- a resident's reduced cheques this year (every reduced sale checks the yearly cap),
CREATE INDEX cheque_sales_resident ON cheque_sales (resident_id, created_at);
-- the online sales of a month (payment reconciliation),
CREATE INDEX cheque_sales_created ON cheque_sales (created_at);
-- a sale's checkout (per online sale in payment reconciliation; refunds) and a
-- resident's checkouts (fiscal retention),
CREATE INDEX checkouts_sale ON checkouts (sale_id);
CREATE INDEX checkouts_resident ON checkouts (resident_id);
-- what was refunded of a checkout (every charge.refunded event),
CREATE INDEX stripe_refunds_checkout ON stripe_refunds (checkout_id);
-- the correction of a work log (a log's history follows the chain),
CREATE INDEX work_logs_supersedes ON work_logs (supersedes_id);
-- a resident's call tasks (erasure, and the foreign key check when a resident's records
-- are removed).
CREATE INDEX call_tasks_resident ON call_tasks (resident_id);

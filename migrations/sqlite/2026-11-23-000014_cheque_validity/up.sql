-- A product's validity rule: NULL keeps the default (until the end of the calendar year
-- after purchase); otherwise a cheque is valid this many months from its sale.
ALTER TABLE cheque_products ADD COLUMN validity_months BIGINT;

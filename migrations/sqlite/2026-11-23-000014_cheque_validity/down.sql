ALTER TABLE cheque_products DROP COLUMN validity_months;

DROP TABLE cheques;
DROP TABLE cheque_sales;
DROP TABLE cash_sessions;
DROP TABLE cheque_prices;
DROP TABLE cheque_products;
DROP TABLE journal_lines;
DROP TABLE journal_entries;

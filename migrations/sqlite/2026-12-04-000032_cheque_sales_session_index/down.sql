DROP INDEX cheque_sales_session;

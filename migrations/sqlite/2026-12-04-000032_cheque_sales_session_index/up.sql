-- A cash session's drawer sums the cash sales of that session: at its close, and each time
-- the counter or the back office looks at the session. Without an index each of those read
-- every cheque sale ever made.
CREATE INDEX cheque_sales_session ON cheque_sales (cash_session_id);

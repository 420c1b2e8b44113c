-- Cash handed back across the counter: a cheque refunded in cash, or a cash-sold cheque
-- voided. It leaves the drawer of an open cash session, so the session's close expects
-- the float plus its cash sales less these, the cash that is really there. A cheque is
-- paid out once.
CREATE TABLE cash_payouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cash_session_id BIGINT NOT NULL REFERENCES cash_sessions (id),
    cheque_id BIGINT NOT NULL UNIQUE REFERENCES cheques (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX cash_payouts_session ON cash_payouts (cash_session_id);

-- The timers look every minute for unspent cheques past their last day and for those
-- whose expiry reminder is due: both by status and last valid day, over every owner. The
-- owner-first index cannot serve that, so each round read the whole cheques table
-- (inside a write transaction, which on SQLite holds back every other write).
CREATE INDEX cheques_due ON cheques (status, valid_until);

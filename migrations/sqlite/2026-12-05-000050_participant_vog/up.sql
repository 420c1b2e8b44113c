-- The day a participant's certificate of conduct (VOG, verklaring omtrent gedrag) was
-- issued, when they showed one: the date only, never what it says. Where the servicepunt
-- asks for one (the `vog_months` setting), no one goes alone to people's homes without a
-- recent one.
ALTER TABLE participants ADD COLUMN vog_issued_on DATE;

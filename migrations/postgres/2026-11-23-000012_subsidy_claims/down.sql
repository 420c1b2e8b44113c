DROP TABLE subsidy_claims;
ALTER TABLE cheques DROP COLUMN subsidy_claim, DROP COLUMN municipality;

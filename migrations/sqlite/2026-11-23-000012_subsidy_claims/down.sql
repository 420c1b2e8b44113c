DROP TABLE subsidy_claims;
ALTER TABLE cheques DROP COLUMN subsidy_claim;
ALTER TABLE cheques DROP COLUMN municipality;

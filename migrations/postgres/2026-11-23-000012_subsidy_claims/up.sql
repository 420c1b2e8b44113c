-- Which municipality pays a reduced cheque's difference, and when it is claimed: on
-- redemption (the default) or already on sale. A cheque keeps what it was sold with.
ALTER TABLE cheques ADD COLUMN municipality TEXT NOT NULL DEFAULT 'Ede';
ALTER TABLE cheques ADD COLUMN subsidy_claim TEXT NOT NULL DEFAULT 'on_redemption'
    CHECK (subsidy_claim IN ('on_redemption', 'on_sale'));

-- Every subsidy claimed from a municipality, and every reversal of a claim (negative),
-- per cheque, dated by the business day: the monthly claim is a sum over these.
CREATE TABLE subsidy_claims (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cheque_id BIGINT NOT NULL REFERENCES cheques (id),
    municipality TEXT NOT NULL,
    claimed_on DATE NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('sale', 'redemption', 'refund', 'void', 'expiry', 'reinstatement')),
    amount_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subsidy_claims_month ON subsidy_claims (municipality, claimed_on);

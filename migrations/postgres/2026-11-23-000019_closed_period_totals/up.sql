-- A closed month cannot change: no journal line can be dated in it. Its sums per account
-- and entry kind are kept when it closes, so balances and reconciliations read a few
-- rows per month instead of every line (the load benchmark: ten million lines took
-- seconds to sum). Reopening a month deletes its sums; closing it again recomputes them.
CREATE TABLE closed_period_totals (
    month TEXT NOT NULL REFERENCES closed_periods (month) ON DELETE CASCADE,
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    PRIMARY KEY (month, account, kind)
);
-- The open months are summed from their lines: found by date, joined by entry.
CREATE INDEX journal_entries_date ON journal_entries (entry_date);
CREATE INDEX journal_lines_entry ON journal_lines (entry_id);

INSERT INTO closed_period_totals (month, account, kind, amount_cents)
SELECT p.month, l.account, e.kind, SUM(l.amount_cents)
FROM closed_periods p
JOIN journal_entries e ON to_char(e.entry_date, 'YYYY-MM') = p.month
JOIN journal_lines l ON l.entry_id = e.id
GROUP BY p.month, l.account, e.kind;

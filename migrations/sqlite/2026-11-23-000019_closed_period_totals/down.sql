DROP INDEX journal_lines_entry;
DROP INDEX journal_lines_date;
ALTER TABLE journal_lines DROP COLUMN kind;
ALTER TABLE journal_lines DROP COLUMN entry_date;
DROP INDEX journal_entries_date;
DROP TABLE closed_period_totals;

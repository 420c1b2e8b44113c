DROP INDEX journal_lines_entry;
DROP INDEX journal_entries_date;
DROP TABLE closed_period_totals;

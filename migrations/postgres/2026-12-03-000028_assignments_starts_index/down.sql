DROP INDEX assignments_starts;

DROP TABLE resident_duplicates;

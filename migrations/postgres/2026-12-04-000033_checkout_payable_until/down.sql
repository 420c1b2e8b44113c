ALTER TABLE checkouts DROP COLUMN payable_until;

ALTER TABLE resident_proxies DROP COLUMN phone;

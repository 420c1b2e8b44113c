-- A daughter who phones for her mother calls from her own number. Recorded with the
-- proxy link (with the resident's consent, like the link itself), the desk finds the
-- mother by it; it is cleared when the link ends, as nobody calls for her from it then.
ALTER TABLE resident_proxies ADD COLUMN phone TEXT;

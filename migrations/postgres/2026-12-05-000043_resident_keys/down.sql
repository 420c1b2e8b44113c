DROP INDEX resident_keys_held_tag;
DROP TABLE resident_keys;

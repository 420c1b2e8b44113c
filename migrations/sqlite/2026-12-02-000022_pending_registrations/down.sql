DROP INDEX outbox_recipient;
DROP TABLE registrations;

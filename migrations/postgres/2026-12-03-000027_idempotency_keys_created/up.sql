-- Stored responses are deleted a day after they were made (the timers, every minute).
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

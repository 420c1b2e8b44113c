-- Email waiting to be sent, written in the same transaction as the change that causes it.
-- The content (data) is cleared once the message is sent; who, when and which template
-- stay for the record.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    recipient_email TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    language TEXT NOT NULL,
    template TEXT NOT NULL,
    data TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Messages for residents without email: the servicepunt phones them instead.
CREATE TABLE call_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    due_on DATE NOT NULL,
    language TEXT NOT NULL,
    template TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP,
    done_by BIGINT REFERENCES users (id),
    note TEXT
);
CREATE INDEX call_tasks_due ON call_tasks (due_on, done_at);

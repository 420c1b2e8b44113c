DROP TABLE call_tasks;
DROP TABLE outbox;

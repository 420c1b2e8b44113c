DROP TABLE on_call_days;

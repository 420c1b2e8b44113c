DROP TABLE cheque_events;

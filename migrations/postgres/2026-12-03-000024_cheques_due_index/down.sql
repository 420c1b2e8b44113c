DROP INDEX cheques_due;

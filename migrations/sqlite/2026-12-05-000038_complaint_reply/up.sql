-- What the werkleider who handled a complaint tells the resident: shown to them and put
-- in the message they get. The handled note stays for staff (it may speak of the crew).
ALTER TABLE job_feedback ADD COLUMN handled_reply TEXT;

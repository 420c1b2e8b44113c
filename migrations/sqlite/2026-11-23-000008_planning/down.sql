DROP TABLE sent_reminders;
DROP TABLE attendance;
DROP TABLE proposal_lines;
DROP TABLE planning_proposals;
DROP TABLE assignment_members;
DROP TABLE assignments;

DROP TABLE preferred_participants;
DROP TABLE trajectories;
DROP TABLE do_not_pair;
DROP TABLE clearance_changes;
DROP TABLE participant_absences;
DROP TABLE participant_availability;
DROP TABLE participants;

DROP TABLE buddies;
DROP TABLE buddy_volunteers;

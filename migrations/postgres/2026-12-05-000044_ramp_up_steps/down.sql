DROP TABLE ramp_up_steps;

DROP TABLE trajectory_plans;

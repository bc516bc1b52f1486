DROP TABLE schedule_settings;
DROP TABLE schedule_pins;
DROP TABLE schedule_moves;
DROP TABLE schedule_planned_orders;
DROP TABLE schedule_planned_operations;
DROP TABLE schedule_plans;

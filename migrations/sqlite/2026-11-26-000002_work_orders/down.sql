DROP TABLE work_order_events;
DROP TABLE work_order_materials;
DROP TABLE work_order_operation_machines;
DROP TABLE work_order_operations;
DROP TABLE work_order_dependencies;
DROP TABLE work_orders;
DROP TABLE number_sequences;

DROP INDEX work_orders_status_quantity;
DROP INDEX work_orders_status_created;
DROP INDEX work_orders_status_number;
DROP INDEX work_orders_status_priority;
DROP INDEX work_orders_quantity;

-- Indexes for the work-order list (measured with `mes bench work-orders` at 100,000 orders).
--
-- Sorting by quantity (largest orders first) sorted the whole table on every page, however
-- deep: 15 ms on SQLite. With the index a page is a seek, like the other sorts.
CREATE INDEX work_orders_quantity ON work_orders(quantity, id);

-- Lists narrowed to a few statuses (open orders, late orders) are read status by status, each
-- in sort order from one of these (work_orders_status_due covers the due-date and status sorts).
-- Without them PostgreSQL walks the plain sort index and skips the closed history: open orders
-- are the newest few percent, at the far end of a due-date, number or creation-time index
-- (50 ms per page instead of under 1). Each ends with id so that reading the candidates is an
-- index-only scan: PostgreSQL otherwise prefers the unique number index, whose heap order looks
-- cheaper to read than a few dozen random rows.
CREATE INDEX work_orders_status_priority ON work_orders(status, priority, due_at, id);
CREATE INDEX work_orders_status_number ON work_orders(status, number, id);
CREATE INDEX work_orders_status_created ON work_orders(status, created_at, id);
CREATE INDEX work_orders_status_quantity ON work_orders(status, quantity, id);

-- Work orders. Releasing an order copies the product's active routing and BOM into the order's
-- own operations and material requirements, so later master-data edits leave it alone.

-- Counters for generated numbers (work orders, ...), advanced inside the creating transaction.
CREATE TABLE number_sequences (
    name TEXT PRIMARY KEY,
    next_value BIGINT NOT NULL
);
INSERT INTO number_sequences (name, next_value) VALUES ('work_order', 1);

-- status: draft, released, in_progress, on_hold, completed, closed, cancelled.
-- priority: 1 (rush) .. 5 (low), 3 normal. held_from: the status `resume` returns to.
CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity DOUBLE PRECISION NOT NULL,
    due_at TIMESTAMP NOT NULL,
    release_at TIMESTAMP,
    priority INTEGER NOT NULL DEFAULT 3,
    customer TEXT NOT NULL DEFAULT '',
    sales_order TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    held_from TEXT,
    hold_reason TEXT,
    routing_id BIGINT REFERENCES routings(id),
    bom_id BIGINT REFERENCES boms(id),
    parent_id BIGINT REFERENCES work_orders(id),
    qty_good DOUBLE PRECISION NOT NULL DEFAULT 0,
    qty_scrap DOUBLE PRECISION NOT NULL DEFAULT 0,
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    closed_at TIMESTAMP,
    CHECK (quantity > 0),
    CHECK (priority BETWEEN 1 AND 5),
    CHECK (status IN ('draft', 'released', 'in_progress', 'on_hold', 'completed', 'closed', 'cancelled'))
);
-- The list screen filters by status and sorts by due date, number or priority, at 100,000 orders.
CREATE INDEX work_orders_status_due ON work_orders(status, due_at, id);
CREATE INDEX work_orders_due ON work_orders(due_at, id);
CREATE INDEX work_orders_priority ON work_orders(priority, due_at, id);
CREATE INDEX work_orders_product ON work_orders(product_id, status);
CREATE INDEX work_orders_parent ON work_orders(parent_id);
CREATE INDEX work_orders_created ON work_orders(created_at, id);

-- An order that cannot start before another finishes (an assembly waits for its components).
CREATE TABLE work_order_dependencies (
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    predecessor_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    PRIMARY KEY (work_order_id, predecessor_id),
    CHECK (work_order_id <> predecessor_id)
);
CREATE INDEX work_order_dependencies_predecessor ON work_order_dependencies(predecessor_id);

-- The order's own copy of its routing. status: pending, in_progress, paused, done.
-- planned_*: where and when the published schedule puts it.
CREATE TABLE work_order_operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    work_center_id BIGINT NOT NULL REFERENCES work_centers(id),
    routing_operation_id BIGINT REFERENCES routing_operations(id),
    setup_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL DEFAULT 0,
    queue_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    transfer_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    inspection_required BOOLEAN NOT NULL DEFAULT FALSE,
    instruction TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    qty_good DOUBLE PRECISION NOT NULL DEFAULT 0,
    qty_scrap DOUBLE PRECISION NOT NULL DEFAULT 0,
    qty_rework DOUBLE PRECISION NOT NULL DEFAULT 0,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    planned_machine_id BIGINT REFERENCES machines(id),
    planned_start TIMESTAMP,
    planned_end TIMESTAMP,
    lock_version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (work_order_id, seq),
    CHECK (status IN ('pending', 'in_progress', 'paused', 'done'))
);
CREATE INDEX work_order_operations_work_center ON work_order_operations(work_center_id, status);
CREATE INDEX work_order_operations_planned_machine ON work_order_operations(planned_machine_id, planned_start);

CREATE TABLE work_order_operation_machines (
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id) ON DELETE CASCADE,
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    run_minutes_per_unit DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (operation_id, machine_id)
);
CREATE INDEX work_order_operation_machines_machine ON work_order_operation_machines(machine_id);

-- Material the order needs, exploded one level from the BOM copy at release.
CREATE TABLE work_order_materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity_required DOUBLE PRECISION NOT NULL,
    quantity_issued DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX work_order_materials_order ON work_order_materials(work_order_id);

-- The order's timeline: what happened to it, by whom. `detail` is a JSON object.
CREATE TABLE work_order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX work_order_events_order ON work_order_events(work_order_id, at);

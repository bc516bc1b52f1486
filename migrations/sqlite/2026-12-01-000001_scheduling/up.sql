-- Scheduling: plans (one per solver run or replan), their planned operations, what moved against
-- the published plan, the planner's pins, and the plant's scheduling settings.

-- status: running, proposed, published, superseded, failed, cancelled. kind: full, replan.
-- trigger_kind: manual, demo, or the shop-floor event that caused a replan (machine_down, rush_order,
-- ...); reason: readable detail. origin: time 0 of the solver's minutes. KPIs are filled when the
-- run ends; moves count operations moved against the plan published when the run started.
CREATE TABLE schedule_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'running',
    kind TEXT NOT NULL DEFAULT 'full',
    trigger_kind TEXT NOT NULL DEFAULT 'manual',
    reason TEXT NOT NULL DEFAULT '',
    base_plan_id BIGINT REFERENCES schedule_plans(id),
    origin TIMESTAMP NOT NULL,
    time_limit_ms BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users(id),
    error TEXT,
    late_orders INTEGER,
    total_weighted_tardiness_minutes BIGINT,
    makespan_end TIMESTAMP,
    moved_operations INTEGER,
    solver_iterations BIGINT,
    CHECK (status IN ('running', 'proposed', 'published', 'superseded', 'failed', 'cancelled')),
    CHECK (kind IN ('full', 'replan'))
);
CREATE INDEX schedule_plans_status ON schedule_plans(status, id);

-- late: the operation's order finishes after its due date in this plan.
CREATE TABLE schedule_planned_operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES schedule_plans(id) ON DELETE CASCADE,
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id) ON DELETE CASCADE,
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    setup_start TIMESTAMP NOT NULL,
    run_start TIMESTAMP NOT NULL,
    end_at TIMESTAMP NOT NULL,
    late BOOLEAN NOT NULL DEFAULT FALSE,
    frozen BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (plan_id, operation_id)
);
CREATE INDEX schedule_planned_operations_machine ON schedule_planned_operations(plan_id, machine_id, setup_start);
CREATE INDEX schedule_planned_operations_operation ON schedule_planned_operations(operation_id);

-- Per order in a plan: planned finish and the machine that makes it late (delivery forecast).
CREATE TABLE schedule_planned_orders (
    plan_id BIGINT NOT NULL REFERENCES schedule_plans(id) ON DELETE CASCADE,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    planned_finish TIMESTAMP NOT NULL,
    tardiness_minutes BIGINT NOT NULL,
    bottleneck_machine_id BIGINT REFERENCES machines(id),
    PRIMARY KEY (plan_id, work_order_id)
);

-- reason: machine_down, machine_up, rush_order, actual_times, scrap, extra_work, knock_on.
CREATE TABLE schedule_moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES schedule_plans(id) ON DELETE CASCADE,
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id) ON DELETE CASCADE,
    from_machine_id BIGINT REFERENCES machines(id),
    from_start TIMESTAMP,
    to_machine_id BIGINT NOT NULL REFERENCES machines(id),
    to_start TIMESTAMP NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX schedule_moves_plan ON schedule_moves(plan_id);

-- The planner fixes an operation to a machine and start; every later run keeps it there.
CREATE TABLE schedule_pins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id BIGINT NOT NULL UNIQUE REFERENCES work_order_operations(id) ON DELETE CASCADE,
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    start_at TIMESTAMP NOT NULL,
    pinned_by BIGINT REFERENCES users(id),
    pinned_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One row (id = 1).
CREATE TABLE schedule_settings (
    id INTEGER PRIMARY KEY,
    auto_replan BOOLEAN NOT NULL DEFAULT TRUE,
    frozen_horizon_minutes INTEGER NOT NULL DEFAULT 240,
    default_time_limit_ms BIGINT NOT NULL DEFAULT 5000,
    horizon_days INTEGER NOT NULL DEFAULT 28,
    -- How long a machine reported down is assumed to stay down until it reports back.
    down_estimate_minutes INTEGER NOT NULL DEFAULT 240,
    lock_version INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL,
    CHECK (id = 1),
    CHECK (frozen_horizon_minutes >= 0),
    CHECK (default_time_limit_ms BETWEEN 100 AND 600000),
    CHECK (horizon_days BETWEEN 1 AND 365),
    CHECK (down_estimate_minutes BETWEEN 1 AND 10080)
);
INSERT INTO schedule_settings (id, updated_at) VALUES (1, CURRENT_TIMESTAMP);

-- Station reporting (报工): tablet sessions with several operators, operation phases, labour,
-- production reports with defect lines, andon calls, and stored answers of idempotent writes.

-- Pay per good unit (计件单价); NULL: the operation is not paid by the piece.
ALTER TABLE routing_operations ADD COLUMN piece_rate DOUBLE PRECISION;
ALTER TABLE work_order_operations ADD COLUMN piece_rate DOUBLE PRECISION;

-- A tablet's session at a station: the cookie holds a random token, the table its SHA-256.
CREATE TABLE station_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id BIGINT NOT NULL REFERENCES stations(id),
    token_hash TEXT NOT NULL UNIQUE,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX station_sessions_station ON station_sessions(station_id, ended_at);

-- Operators signed in on a station session; signed_out_at NULL while signed in.
CREATE TABLE station_operators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES station_sessions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    signed_in_at TIMESTAMP NOT NULL,
    signed_out_at TIMESTAMP
);
CREATE INDEX station_operators_session ON station_operators(session_id, signed_out_at);
CREATE INDEX station_operators_user ON station_operators(user_id, signed_out_at);

-- What an operation is doing on a machine: kind setup, run or paused (with a downtime reason).
-- ended_at NULL: the current phase; an operation has at most one.
CREATE TABLE operation_phases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id),
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    station_id BIGINT REFERENCES stations(id),
    kind TEXT NOT NULL CHECK (kind IN ('setup', 'run', 'paused')),
    downtime_reason_id BIGINT REFERENCES downtime_reasons(id),
    note TEXT NOT NULL DEFAULT '',
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX operation_phases_operation ON operation_phases(operation_id, ended_at);
CREATE INDEX operation_phases_machine ON operation_phases(machine_id, ended_at);

-- Labour time: one operator on one operation during one phase (setup or run).
CREATE TABLE labour_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id),
    phase_id BIGINT NOT NULL REFERENCES operation_phases(id),
    kind TEXT NOT NULL CHECK (kind IN ('setup', 'run')),
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX labour_entries_user ON labour_entries(user_id, started_at);
CREATE INDEX labour_entries_phase ON labour_entries(phase_id, ended_at);

CREATE TABLE production_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id BIGINT NOT NULL REFERENCES work_order_operations(id),
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    machine_id BIGINT REFERENCES machines(id),
    station_id BIGINT REFERENCES stations(id),
    operator_id BIGINT REFERENCES users(id),
    good DOUBLE PRECISION NOT NULL,
    scrap DOUBLE PRECISION NOT NULL,
    rework DOUBLE PRECISION NOT NULL,
    reported_at TIMESTAMP NOT NULL,
    supervisor_override BOOLEAN NOT NULL DEFAULT FALSE,
    override_by BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX production_reports_operation ON production_reports(operation_id);
CREATE INDEX production_reports_operator ON production_reports(operator_id, reported_at);

-- disposition: scrap or rework.
CREATE TABLE production_report_defects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES production_reports(id) ON DELETE CASCADE,
    reason_id BIGINT NOT NULL REFERENCES defect_reasons(id),
    disposition TEXT NOT NULL CHECK (disposition IN ('scrap', 'rework')),
    quantity DOUBLE PRECISION NOT NULL
);
CREATE INDEX production_report_defects_report ON production_report_defects(report_id);

-- kind: maintenance, quality, material, supervisor; status: open → acknowledged → resolved.
CREATE TABLE andon_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    machine_id BIGINT REFERENCES machines(id),
    station_id BIGINT REFERENCES stations(id),
    kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'quality', 'material', 'supervisor')),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    note TEXT NOT NULL DEFAULT '',
    raised_by BIGINT REFERENCES users(id),
    raised_at TIMESTAMP NOT NULL,
    acknowledged_by BIGINT REFERENCES users(id),
    acknowledged_at TIMESTAMP,
    resolved_by BIGINT REFERENCES users(id),
    resolved_at TIMESTAMP,
    resolution_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX andon_calls_status ON andon_calls(status, raised_at);

-- The first answer to a write carrying an Idempotency-Key, per principal (user:<id> or
-- station:<session id>): a replay gets the same status and body.
CREATE TABLE idempotent_requests (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotent_requests_created ON idempotent_requests(created_at);

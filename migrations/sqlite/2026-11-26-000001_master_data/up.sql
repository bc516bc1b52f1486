-- Plant model and product master data: what work orders, scheduling and reporting run on.
-- Durations are minutes (DOUBLE), quantities are in the product's unit (DOUBLE), times UTC.

-- Shift calendars: weekly shift patterns with breaks, plus dated exceptions (holidays,
-- overtime). A work centre has one; a machine may override it.
CREATE TABLE calendars (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One shift on the weekdays of `weekdays` (bit 0 = Monday ... bit 6 = Sunday). Minutes from the
-- start of the day in plant time; `end_minute` may pass 1440 for a shift that ends after midnight.
CREATE TABLE calendar_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id BIGINT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    weekdays SMALLINT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    CHECK (weekdays BETWEEN 1 AND 127),
    CHECK (start_minute >= 0 AND start_minute < 1440 AND end_minute > start_minute AND end_minute <= start_minute + 1440)
);
CREATE INDEX calendar_shifts_calendar ON calendar_shifts(calendar_id);

-- Unpaid breaks inside a shift, in the same minutes-from-day-start as the shift.
CREATE TABLE calendar_breaks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id BIGINT NOT NULL REFERENCES calendar_shifts(id) ON DELETE CASCADE,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    CHECK (end_minute > start_minute)
);
CREATE INDEX calendar_breaks_shift ON calendar_breaks(shift_id);

-- `holiday`: no work that day. `overtime`: extra working time [start_minute, end_minute) that day.
-- `shutdown`: no work in [start_minute, end_minute) that day.
CREATE TABLE calendar_exceptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id BIGINT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    day DATE NOT NULL,
    kind TEXT NOT NULL,
    start_minute INTEGER,
    end_minute INTEGER,
    note TEXT NOT NULL DEFAULT '',
    CHECK (kind IN ('holiday', 'overtime', 'shutdown'))
);
CREATE INDEX calendar_exceptions_calendar_day ON calendar_exceptions(calendar_id, day);

CREATE TABLE work_centers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    calendar_id BIGINT REFERENCES calendars(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- `status` is the machine's current state: idle, running, setup, down, maintenance, offline.
CREATE TABLE machines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    work_center_id BIGINT NOT NULL REFERENCES work_centers(id),
    kind TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'idle',
    calendar_id BIGINT REFERENCES calendars(id),
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (status IN ('idle', 'running', 'setup', 'down', 'maintenance', 'offline'))
);
CREATE INDEX machines_work_center ON machines(work_center_id);

-- A station is a tablet on the shop floor, bound to one machine or to a whole work centre.
CREATE TABLE stations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    machine_id BIGINT REFERENCES machines(id),
    work_center_id BIGINT REFERENCES work_centers(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((machine_id IS NULL) <> (work_center_id IS NULL))
);

CREATE TABLE defect_reasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0
);

-- `planned` downtime (changeover, planned maintenance, no order) counts differently in OEE.
CREATE TABLE downtime_reasons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    planned BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0
);

-- `kind`: raw (bought), semi (made, used in other products), finished (sold).
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT 'pcs',
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (kind IN ('raw', 'semi', 'finished'))
);
CREATE INDEX products_kind ON products(kind);

-- BOMs and routings are versioned per product: a draft is edited, activating it makes it the
-- current version (the previous active one is archived). Active and archived versions are never
-- edited, so a version number names exact content.
CREATE TABLE boms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, version),
    CHECK (status IN ('draft', 'active', 'archived'))
);

CREATE TABLE bom_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bom_id BIGINT NOT NULL REFERENCES boms(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    component_id BIGINT NOT NULL REFERENCES products(id),
    quantity_per DOUBLE PRECISION NOT NULL,
    scrap_factor DOUBLE PRECISION NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    CHECK (quantity_per > 0 AND scrap_factor >= 0 AND scrap_factor < 1)
);
CREATE INDEX bom_lines_bom ON bom_lines(bom_id);
CREATE INDEX bom_lines_component ON bom_lines(component_id);

CREATE TABLE routings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, version),
    CHECK (status IN ('draft', 'active', 'archived'))
);

-- One step of a routing. Eligible machines are listed in routing_operation_machines, each with
-- its own run time when it differs from the operation's.
CREATE TABLE routing_operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    routing_id BIGINT NOT NULL REFERENCES routings(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    work_center_id BIGINT NOT NULL REFERENCES work_centers(id),
    setup_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    run_minutes_per_unit DOUBLE PRECISION NOT NULL DEFAULT 0,
    queue_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    transfer_minutes DOUBLE PRECISION NOT NULL DEFAULT 0,
    inspection_required BOOLEAN NOT NULL DEFAULT FALSE,
    instruction TEXT NOT NULL DEFAULT '',
    UNIQUE (routing_id, seq),
    CHECK (setup_minutes >= 0 AND run_minutes_per_unit >= 0 AND queue_minutes >= 0 AND transfer_minutes >= 0)
);

CREATE TABLE routing_operation_machines (
    operation_id BIGINT NOT NULL REFERENCES routing_operations(id) ON DELETE CASCADE,
    machine_id BIGINT NOT NULL REFERENCES machines(id),
    run_minutes_per_unit DOUBLE PRECISION,
    PRIMARY KEY (operation_id, machine_id)
);

-- Files attached to master data: work-instruction images and PDFs, drawings. `owner_kind` names
-- the table of `owner_id` (routing_operation, product).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);

-- Small key-value settings edited by admins (work-order number prefix, ...).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

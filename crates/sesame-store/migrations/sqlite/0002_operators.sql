-- Issue 8, operators and roles (SQLite). Keep in step with ../postgres/0002_operators.sql.

-- The people who work at the desks. `name` is what the audit log records (the OS
-- account or SESAME_OPERATOR); a desk registers its operator on first opening.
-- The PIN (idle-lock unlock, supervisor countersign) is kept only as an Argon2id
-- PHC string; repeated wrong PINs lock it for a while (failed_pins, pin_locked_until).
CREATE TABLE operators (
    name                TEXT PRIMARY KEY,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    pin_hash            TEXT,
    failed_pins         INTEGER NOT NULL DEFAULT 0,
    pin_locked_until    TEXT,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX operators_role ON operators (role, active);

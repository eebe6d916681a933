-- Sésame queue schema (SQLite). Dates are ISO text (YYYY-MM-DD), instants RFC 3339 text,
-- ids UUID v7 text. Keep in step with ../postgres/0001_queue.sql.

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One row per counter; incremented inside the transaction that uses the value.
CREATE TABLE counters (
    name        TEXT PRIMARY KEY,
    next_value  INTEGER NOT NULL
);
INSERT INTO counters (name, next_value) VALUES ('badge_number', 1);

CREATE TABLE holders (
    id                      TEXT PRIMARY KEY,
    family_name             TEXT NOT NULL,
    given_names             TEXT NOT NULL,
    email                   TEXT,
    phone                   TEXT,
    organisation            TEXT,
    unit                    TEXT,
    category                TEXT NOT NULL,
    external_id             TEXT,
    presence_days_per_week  INTEGER NOT NULL CHECK (presence_days_per_week BETWEEN 0 AND 7),
    mission_start           TEXT,
    mission_end             TEXT,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
-- NULLs are distinct in a unique index, so holders without HR number do not collide.
CREATE UNIQUE INDEX holders_external_id ON holders (external_id);
CREATE INDEX holders_email ON holders (email);

CREATE TABLE requests (
    id                  TEXT PRIMARY KEY,
    holder_id           TEXT NOT NULL REFERENCES holders (id),
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    -- copies kept for the queue's filters and sorts (updated with their source)
    category            TEXT NOT NULL,
    holder_sort         TEXT NOT NULL,
    mission_end         TEXT,
    submitted_on        TEXT NOT NULL,
    badge_id            TEXT REFERENCES badges (id),
    badge_number        TEXT,
    badge_valid_until   TEXT,
    -- the request itself
    services            TEXT NOT NULL DEFAULT '[]',
    wanted_from         TEXT,
    wanted_until        TEXT,
    previous_badge_id   TEXT REFERENCES badges (id),
    replacement_cause   TEXT,
    notes               TEXT,
    consent_by          TEXT,
    consent_at          TEXT,
    photo_certified_by  TEXT,
    photo_certified_at  TEXT,
    status_reason       TEXT,
    submitted_by        TEXT NOT NULL,
    submitted_at        TEXT NOT NULL,
    reviewed_by         TEXT,
    reviewed_at         TEXT,
    printed_by          TEXT,
    printed_at          TEXT,
    dispatched_by       TEXT,
    dispatched_at       TEXT,
    dispatch_method     TEXT,
    activated_by        TEXT,
    activated_at        TEXT,
    print_claim_by      TEXT,
    print_claim_at      TEXT,
    updated_at          TEXT NOT NULL
);
CREATE INDEX requests_status_sort ON requests (status, holder_sort, id);
CREATE INDEX requests_status_id ON requests (status, id);
CREATE INDEX requests_sort ON requests (holder_sort, id);
CREATE INDEX requests_holder ON requests (holder_id);
CREATE INDEX requests_mission_end ON requests (mission_end, id);
CREATE INDEX requests_badge_until ON requests (badge_valid_until, id);

-- Requests per status, kept by triggers so the desk's counters never scan the queue.
CREATE TABLE request_status_counts (
    status  TEXT PRIMARY KEY,
    n       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO request_status_counts (status, n) VALUES
    ('submitted', 0),
    ('incomplete', 0),
    ('awaiting_photo', 0),
    ('ready_for_review', 0),
    ('approved', 0),
    ('refused', 0),
    ('printed', 0),
    ('dispatched', 0),
    ('activated', 0),
    ('cancelled', 0);
CREATE TRIGGER requests_count_insert AFTER INSERT ON requests
BEGIN
    UPDATE request_status_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER requests_count_update AFTER UPDATE OF status ON requests WHEN OLD.status <> NEW.status
BEGIN
    UPDATE request_status_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE request_status_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER requests_count_delete AFTER DELETE ON requests
BEGIN
    UPDATE request_status_counts SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TABLE request_zones (
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    zone        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (request_id, zone)
);
CREATE INDEX request_zones_zone ON request_zones (zone, request_id);

-- Folded words (names, e-mail, HR number, badge number) for prefix search. Derived
-- data, rebuilt by the store from holders and badges: no foreign key, so imports do not
-- pay a check per word (code that deletes a request deletes its words).
CREATE TABLE search_terms (
    term        TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    PRIMARY KEY (term, request_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_request ON search_terms (request_id);

CREATE TABLE badges (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    holder_id       TEXT NOT NULL REFERENCES holders (id),
    request_id      TEXT NOT NULL REFERENCES requests (id),
    card_serial     TEXT UNIQUE,
    valid_from      TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    status          TEXT NOT NULL,
    zones           TEXT NOT NULL DEFAULT '[]',
    status_reason   TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX badges_status_until ON badges (status, valid_until);
CREATE INDEX badges_holder ON badges (holder_id);

-- Every badge number ever issued. Never deleted, so no number is reused even if
-- badge rows are purged one day.
CREATE TABLE issued_badge_numbers (
    number      TEXT PRIMARY KEY,
    issued_at   TEXT NOT NULL
);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    byte_size   INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX attachments_one_per_kind ON attachments (request_id, kind) WHERE kind <> 'other';
CREATE INDEX attachments_request ON attachments (request_id);

-- The bytes, apart from their description so lists never load them. `codec` names how
-- they are stored ('plain' now; an encryption layer adds its own).
CREATE TABLE attachment_blobs (
    attachment_id   TEXT PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    codec           TEXT NOT NULL,
    data            BLOB NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    request_id  TEXT,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    reason      TEXT,
    redacted    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_request ON audit_log (request_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- Append-only: rows are never deleted and their facts never rewritten. Only the
-- payload (before/after/reason) may be redacted by a retention purge.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_facts_frozen BEFORE UPDATE OF id, at, operator, entity, entity_id, request_id, action ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log facts cannot change');
END;

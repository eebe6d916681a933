-- Sésame queue schema (PostgreSQL). Native DATE, TIMESTAMPTZ, BYTEA; ids are
-- UUID v7 text. Keep in step with ../sqlite/0001_queue.sql.

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- One row per counter; incremented inside the transaction that uses the value.
CREATE TABLE counters (
    name        TEXT PRIMARY KEY,
    next_value  BIGINT NOT NULL
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
    presence_days_per_week  BIGINT NOT NULL CHECK (presence_days_per_week BETWEEN 0 AND 7),
    mission_start           DATE,
    mission_end             DATE,
    version                 BIGINT NOT NULL DEFAULT 1,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);
-- NULLs are distinct in a unique index, so holders without HR number do not collide.
CREATE UNIQUE INDEX holders_external_id ON holders (external_id);
CREATE INDEX holders_email ON holders (email);

CREATE TABLE requests (
    id                  TEXT PRIMARY KEY,
    holder_id           TEXT NOT NULL REFERENCES holders (id),
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1,
    -- copies kept for the queue's filters and sorts (updated with their source)
    category            TEXT NOT NULL,
    holder_sort         TEXT COLLATE "C" NOT NULL,
    mission_end         DATE,
    submitted_on        DATE NOT NULL,
    badge_id            TEXT,
    badge_number        TEXT,
    badge_valid_until   DATE,
    -- the request itself
    services            TEXT NOT NULL DEFAULT '[]',
    wanted_from         DATE,
    wanted_until        DATE,
    previous_badge_id   TEXT,
    replacement_cause   TEXT,
    notes               TEXT,
    consent_by          TEXT,
    consent_at          TIMESTAMPTZ,
    photo_certified_by  TEXT,
    photo_certified_at  TIMESTAMPTZ,
    status_reason       TEXT,
    submitted_by        TEXT NOT NULL,
    submitted_at        TIMESTAMPTZ NOT NULL,
    reviewed_by         TEXT,
    reviewed_at         TIMESTAMPTZ,
    printed_by          TEXT,
    printed_at          TIMESTAMPTZ,
    dispatched_by       TEXT,
    dispatched_at       TIMESTAMPTZ,
    dispatch_method     TEXT,
    activated_by        TEXT,
    activated_at        TIMESTAMPTZ,
    print_claim_by      TEXT,
    print_claim_at      TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL
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
    n       BIGINT NOT NULL DEFAULT 0
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
-- Statement-level triggers with transition tables: a 10 000-row import updates each
-- counter once per statement, not 10 000 times (one row updated repeatedly in one
-- transaction grows a long version chain on PostgreSQL).
CREATE FUNCTION requests_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_status_counts c SET n = c.n + d.k
    FROM (SELECT status, COUNT(*) AS k FROM new_rows GROUP BY status) d
    WHERE c.status = d.status;
    RETURN NULL;
END;
$$;
CREATE FUNCTION requests_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_status_counts c SET n = c.n - d.k
    FROM (SELECT status, COUNT(*) AS k FROM old_rows GROUP BY status) d
    WHERE c.status = d.status;
    RETURN NULL;
END;
$$;
CREATE FUNCTION requests_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_status_counts c SET n = c.n + d.k
    FROM (
        SELECT status, SUM(k) AS k FROM (
            SELECT o.status, -1 AS k FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.status <> w.status
            UNION ALL
            SELECT w.status, 1 AS k FROM old_rows o JOIN new_rows w ON w.id = o.id WHERE o.status <> w.status
        ) changes GROUP BY status
    ) d
    WHERE c.status = d.status;
    RETURN NULL;
END;
$$;
CREATE TRIGGER requests_count_insert AFTER INSERT ON requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count_inserted();
CREATE TRIGGER requests_count_update AFTER UPDATE ON requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count_updated();
CREATE TRIGGER requests_count_delete AFTER DELETE ON requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION requests_count_deleted();

CREATE TABLE request_zones (
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    zone        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (request_id, zone)
);
CREATE INDEX request_zones_zone ON request_zones (zone, request_id);

-- Folded words (names, e-mail, HR number, badge number) for prefix search. Derived
-- data, rebuilt by the store from holders and badges: no foreign key, so imports do not
-- pay a check per word (code that deletes a request deletes its words).
CREATE TABLE search_terms (
    term        TEXT COLLATE "C" NOT NULL,
    request_id  TEXT NOT NULL,
    PRIMARY KEY (term, request_id)
);
CREATE INDEX search_terms_request ON search_terms (request_id);

CREATE TABLE badges (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    holder_id       TEXT NOT NULL REFERENCES holders (id),
    request_id      TEXT NOT NULL REFERENCES requests (id),
    card_serial     TEXT UNIQUE,
    valid_from      DATE NOT NULL,
    valid_until     DATE NOT NULL,
    status          TEXT NOT NULL,
    zones           TEXT NOT NULL DEFAULT '[]',
    status_reason   TEXT,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX badges_status_until ON badges (status, valid_until);
CREATE INDEX badges_holder ON badges (holder_id);

-- Every badge number ever issued. Never deleted, so no number is reused even if
-- badge rows are purged one day.
CREATE TABLE issued_badge_numbers (
    number      TEXT PRIMARY KEY,
    issued_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    byte_size   BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX attachments_one_per_kind ON attachments (request_id, kind) WHERE kind <> 'other';
CREATE INDEX attachments_request ON attachments (request_id);

-- The bytes, apart from their description so lists never load them. `codec` names how
-- they are stored ('plain' now; an encryption layer adds its own).
CREATE TABLE attachment_blobs (
    attachment_id   TEXT PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    codec           TEXT NOT NULL,
    data            BYTEA NOT NULL
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    operator    TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    request_id  TEXT,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    reason      TEXT,
    redacted    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX audit_log_request ON audit_log (request_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- Append-only: rows are never deleted and their facts never rewritten. Only the
-- payload (before/after/reason) may be redacted by a retention purge.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_facts_frozen BEFORE UPDATE OF id, at, operator, entity, entity_id, request_id, action ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

ALTER TABLE requests ADD CONSTRAINT requests_badge_fk FOREIGN KEY (badge_id) REFERENCES badges (id);
ALTER TABLE requests ADD CONSTRAINT requests_previous_badge_fk FOREIGN KEY (previous_badge_id) REFERENCES badges (id);

-- Issue 7, the badge's life after printing (SQLite). Keep in step with
-- ../postgres/0003_lifecycle.sql.

-- Secured zones, each with the approver who decides on access requests. Requests and
-- badges name zones by `key` (as free text before this table existed, so no foreign key).
CREATE TABLE zones (
    key             TEXT PRIMARY KEY,
    label_fr        TEXT NOT NULL,
    label_en        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('building', 'car_park')),
    approver_name   TEXT NOT NULL,
    approver_email  TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The approver's answer for each zone of a zone-access request (one per zone, final).
CREATE TABLE zone_decisions (
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    zone        TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('approved', 'refused')),
    approver    TEXT NOT NULL,
    reason      TEXT,
    recorded_by TEXT NOT NULL,
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (request_id, zone)
);

-- Loss, theft or damage declared on a badge, with what followed: the replacement
-- request, an optional temporary badge, a lifting.
CREATE TABLE oppositions (
    id                      TEXT PRIMARY KEY,
    badge_id                TEXT NOT NULL REFERENCES badges (id),
    cause                   TEXT NOT NULL,
    occurred_on             TEXT NOT NULL,
    circumstances           TEXT NOT NULL,
    declared_by             TEXT NOT NULL,
    declared_at             TEXT NOT NULL,
    replacement_request_id  TEXT REFERENCES requests (id),
    temporary_badge_id      TEXT REFERENCES badges (id),
    lifted_by               TEXT,
    lifted_at               TEXT,
    lift_reason             TEXT
);
CREATE INDEX oppositions_badge ON oppositions (badge_id);
CREATE UNIQUE INDEX oppositions_replacement ON oppositions (replacement_request_id);

-- Today's expected visitors: day passes by first day.
CREATE INDEX requests_kind_wanted ON requests (kind, wanted_from, wanted_until);
-- A holder's latest photo (renewals reuse it when recent enough).
CREATE INDEX requests_holder_kind ON requests (holder_id, kind);

-- A replacement carries the old badge's zones and services over; the operator confirms
-- the list before the replacement can be approved.
ALTER TABLE requests ADD COLUMN carried_over_confirmed_by TEXT;
ALTER TABLE requests ADD COLUMN carried_over_confirmed_at TEXT;

-- The badge's life after printing (issue 7): usage seen at the doors, expiry reminders
-- already queued, housekeeping runs. Keep in step with ../postgres/0004_lifecycle_lists.sql.

-- The last time each badge was seen at a door, from the access-control usage log.
-- Only the latest passage is kept, never the movements themselves.
CREATE TABLE badge_usage (
    badge_id      TEXT PRIMARY KEY REFERENCES badges (id) ON DELETE CASCADE,
    last_seen_at  TEXT NOT NULL,
    last_door     TEXT,
    updated_at    TEXT NOT NULL
);

-- One reminder per badge, kind and end of validity: a badge renewed to a later date
-- gets a new reminder, running housekeeping twice queues nothing more.
CREATE TABLE badge_reminders (
    badge_id     TEXT NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    queued_at    TEXT NOT NULL,
    PRIMARY KEY (badge_id, kind, valid_until)
);

-- What each scheduled housekeeping run did (its report as JSON).
CREATE TABLE housekeeping_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_on       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    operator     TEXT NOT NULL,
    report       TEXT NOT NULL
);

-- The "dispatched, not activated" list reads dispatched requests only.
CREATE INDEX requests_status_dispatched ON requests (status, dispatched_at);

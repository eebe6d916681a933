-- Visitors at the desk: who they visit (told of their arrival by e-mail), when they
-- came and left (left automatically by housekeeping when nobody checked them out),
-- whether the badge came back; and the people the office refuses, checked at intake.
CREATE TABLE visit_hosts (
    request_id  TEXT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    host_name   TEXT NOT NULL,
    host_email  TEXT
);
CREATE TABLE visits (
    id              TEXT PRIMARY KEY,
    request_id      TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    checked_in_at   TEXT NOT NULL,
    checked_in_by   TEXT NOT NULL,
    checked_out_at  TEXT,
    checked_out_by  TEXT,
    automatic_checkout INTEGER NOT NULL DEFAULT 0,
    badge_returned  INTEGER,
    UNIQUE (request_id, day)
);
CREATE INDEX visits_open ON visits (day) WHERE checked_out_at IS NULL;
CREATE TABLE refused_visitors (
    id            TEXT PRIMARY KEY,
    family_name   TEXT NOT NULL,
    given_names   TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    organisation  TEXT,
    reason        TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    removed_at    TEXT,
    removed_by    TEXT
);
CREATE INDEX refused_visitors_key ON refused_visitors (name_key) WHERE removed_at IS NULL;

-- Each run of an export profile for the access-control system (the profiles
-- themselves are an office setting). A run of changes only writes the badges changed
-- after the profile's last run's `started_at`. A run is recorded once its file is
-- written, never changed or removed afterwards.
CREATE TABLE access_export_runs (
    id          TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    since       TEXT,
    badges      INTEGER NOT NULL,
    photos      INTEGER NOT NULL,
    file        TEXT NOT NULL,
    operator    TEXT NOT NULL,
    scheduled   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX access_export_runs_profile ON access_export_runs (profile_id, started_at);

CREATE TRIGGER access_export_runs_never_updated BEFORE UPDATE ON access_export_runs
BEGIN
    SELECT RAISE(ABORT, 'an export run is never changed');
END;
CREATE TRIGGER access_export_runs_never_deleted BEFORE DELETE ON access_export_runs
BEGIN
    SELECT RAISE(ABORT, 'an export run is never removed');
END;

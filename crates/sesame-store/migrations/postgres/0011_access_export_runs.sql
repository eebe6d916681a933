-- Each run of an export profile for the access-control system (the profiles
-- themselves are an office setting). A run of changes only writes the badges changed
-- after the profile's last run's `started_at`. A run is recorded once its file is
-- written, never changed or removed afterwards.
CREATE TABLE access_export_runs (
    id          TEXT PRIMARY KEY,
    profile_id  TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    since       TIMESTAMPTZ,
    badges      BIGINT NOT NULL,
    photos      BIGINT NOT NULL,
    file        TEXT NOT NULL,
    operator    TEXT NOT NULL,
    scheduled   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX access_export_runs_profile ON access_export_runs (profile_id, started_at);

-- Any operator may run an export (as the badge export); nobody changes or removes a
-- run (`secure_database` grants no UPDATE on it either), so "changed since the last
-- run" cannot be moved back to hide a change from the access-control system.
CREATE FUNCTION sesame_access_export_runs_guard() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'an export run is never changed or removed'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER access_export_runs_guard BEFORE UPDATE OR DELETE ON access_export_runs
    FOR EACH ROW EXECUTE FUNCTION sesame_access_export_runs_guard();

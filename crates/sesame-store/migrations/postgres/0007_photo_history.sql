-- Replaced badge photos stay (kind 'previous_photo', so they can be restored) until the
-- retention purge; the checks each saved photo failed or warned on, and whether the
-- operator overrode them. Keep in step with ../sqlite/0007_photo_history.sql.

ALTER TABLE attachments ADD COLUMN replaced_at TIMESTAMPTZ;
DROP INDEX attachments_one_per_kind;
CREATE UNIQUE INDEX attachments_one_per_kind ON attachments (request_id, kind)
    WHERE kind NOT IN ('other', 'previous_photo');

-- One row per saved badge photo that was not accepted as it stood: why it was saved
-- anyway. No foreign key: the facts outlive the photo when retention deletes it.
CREATE TABLE photo_overrides (
    attachment_id   TEXT PRIMARY KEY,
    request_id      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    operator        TEXT NOT NULL,
    countersigned_by TEXT,
    recorded_at     TIMESTAMPTZ NOT NULL
);

-- One row per check a saved badge photo failed or warned on (verdict 'fail' or 'warn'),
-- and whether it was overridden: the supervisor's override rate per check.
CREATE TABLE photo_check_outcomes (
    attachment_id   TEXT NOT NULL,
    check_id        TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    overridden      BOOLEAN NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (attachment_id, check_id)
);
CREATE INDEX photo_check_outcomes_check ON photo_check_outcomes (check_id, verdict);

-- How many badge photos were saved since the outcomes are kept (the rates' denominator).
CREATE TABLE photo_saves (
    attachment_id   TEXT PRIMARY KEY,
    recorded_at     TIMESTAMPTZ NOT NULL
);

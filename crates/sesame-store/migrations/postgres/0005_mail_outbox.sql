-- E-mail notifications to holders (issue 7): the outbox and each holder's language.
-- Keep in step with ../sqlite/0005_mail_outbox.sql.

-- One row per message to send. The subject and body are rendered when the message is
-- queued, so the outbox shows exactly what the holder gets. `dedupe_key` names the
-- event (e.g. `request_received:<request id>`): the same event never queues twice.
-- No foreign keys to requests, badges or holders: a retention purge of those must not
-- be blocked by the outbox, and erases the holder's messages itself.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    request_id      TEXT,
    badge_id        TEXT,
    holder_id       TEXT,
    recipient       TEXT NOT NULL,
    template        TEXT NOT NULL,
    language        TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    -- A sender's lease on a queued message while it talks to the SMTP server, so two
    -- desks draining the same queue never send it twice. Expires by itself (crash).
    locked_by       TEXT,
    locked_until    TIMESTAMPTZ,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_request ON mail_outbox (request_id);
CREATE INDEX mail_outbox_holder ON mail_outbox (holder_id);

-- The language a holder reads their messages in; holders without a row get the
-- office's default language.
CREATE TABLE holder_mail_language (
    holder_id   TEXT PRIMARY KEY REFERENCES holders (id) ON DELETE CASCADE,
    language    TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Retention and holders' rights (issue 8). Keep in step with ../postgres/0006_retention.sql.

-- When a refused or cancelled request lost its personal data (attachments, notes,
-- reasons) to the retention purge; the row stays as the fact that it existed.
ALTER TABLE requests ADD COLUMN purged_at TEXT;
-- When a holder's personal data was replaced (retention purge or erasure on request).
ALTER TABLE holders ADD COLUMN anonymised_at TEXT;

CREATE INDEX requests_closed_purge ON requests (status, purged_at);
CREATE INDEX attachments_kind ON attachments (kind, request_id);

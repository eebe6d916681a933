-- Loan cards: a short-lived badge lent at the desk to a holder who forgot (or is
-- waiting for) their badge. The original is suspended while the loan is out and
-- resumed when the loan card comes back or its last day has passed. One loan out
-- per original badge at a time.
CREATE TABLE badge_loans (
    id                TEXT PRIMARY KEY,
    original_badge_id TEXT NOT NULL REFERENCES badges (id),
    loan_badge_id     TEXT NOT NULL UNIQUE REFERENCES badges (id),
    lent_at           TEXT NOT NULL,
    lent_by           TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    reason            TEXT NOT NULL,
    ended_at          TEXT,
    ended_by          TEXT,
    ended_how         TEXT CHECK (ended_how IN ('returned', 'expired'))
);
CREATE UNIQUE INDEX badge_loans_one_out ON badge_loans (original_badge_id) WHERE ended_at IS NULL;
CREATE INDEX badge_loans_due ON badge_loans (due_on) WHERE ended_at IS NULL;

-- The queue is read at any position (a scrollbar dragged, End): the row there is
-- found by an offset over the sort's index, then its page by keyset from that row,
-- so every sort and the common filters need an index in their order, or the offset
-- reads and sorts the whole table.

-- The sorts by mission end and badge expiry put requests without a date last. Their
-- keys are columns (as in SQLite, where an index of the expression cannot serve a
-- keyset condition on (key, id) as one range).
ALTER TABLE requests ADD COLUMN mission_end_key DATE
    GENERATED ALWAYS AS (COALESCE(mission_end, DATE '9999-12-31')) STORED;
ALTER TABLE requests ADD COLUMN badge_valid_until_key DATE
    GENERATED ALWAYS AS (COALESCE(badge_valid_until, DATE '9999-12-31')) STORED;
CREATE INDEX requests_mission_end_sort ON requests (mission_end_key, id);
CREATE INDEX requests_badge_until_sort ON requests (badge_valid_until_key, id);

-- The category filter: its pages newest first, and its counts per status (index only).
CREATE INDEX requests_category_id ON requests (category, id);
CREATE INDEX requests_category_status ON requests (category, status);

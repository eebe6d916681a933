-- The queue is read at any position (a scrollbar dragged, End): the row there is
-- found by an offset over the sort's index, so every sort and the common filters
-- need an index in their order, or the offset reads and sorts the whole table.

-- The sorts by mission end and badge expiry put requests without a date last: the
-- index holds the very expression the queue sorts by (ops/queue.rs, sort_expression).
CREATE INDEX requests_mission_end_sort ON requests (COALESCE(mission_end, '9999-12-31'), id);
CREATE INDEX requests_badge_until_sort ON requests (COALESCE(badge_valid_until, '9999-12-31'), id);

-- The category filter: its pages newest first, and its counts per status (index only).
CREATE INDEX requests_category_id ON requests (category, id);
CREATE INDEX requests_category_status ON requests (category, status);

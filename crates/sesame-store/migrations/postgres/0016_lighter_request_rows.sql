-- What each new request costs to write (an import of 100 000 rows into a queue of
-- 1 000 000): every index of `requests` is kept on each insert.

-- `requests_holder_kind` (holder_id, kind) serves every lookup by holder.
DROP INDEX IF EXISTS requests_holder;

-- The filters "mission ends before" and "badge expires before" read the sort keys'
-- indexes (0009_queue_positions.sql): a key is its date wherever there is one.
DROP INDEX IF EXISTS requests_mission_end;
DROP INDEX IF EXISTS requests_badge_until;

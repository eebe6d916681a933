-- A jump to a position in the queue filtered by several statuses, sorted by name or
-- newest first, is one offset over the sort's index. PostgreSQL does not merge the
-- per-status index walks in order (it reads every match and sorts them: 0.3–0.5 s
-- at 1 000 000 requests); with the status carried in the sort's index, the offset
-- is read from that index alone, the other statuses' entries skipped there
-- (20–100 ms). SQLite merges the per-status walks and needs neither.
DROP INDEX requests_sort;
CREATE INDEX requests_sort ON requests (holder_sort, id) INCLUDE (status);
CREATE INDEX requests_id_status ON requests (id) INCLUDE (status);

-- A request's id is compared with the server's default collation unless told
-- otherwise, and that collation is the locale the cluster was created with: on an
-- office server fr_FR.UTF-8 or en_US.UTF-8, whose comparisons go through the
-- locale's rules (PostgreSQL compares bytes only under "C"). The queue compares ids
-- by the ten thousand: a search's matches are read by id (a name common enough to
-- match 28 000 requests at 1 000 000: their ids sorted, then each one looked up),
-- and the newest first are the ids in order. Ids are UUIDs written in ASCII, whose
-- order is the same under every collation, so comparing their bytes changes no
-- answer and no order. Measured at 1 000 000 requests, the counts per status of
-- 'zoe': 131 ms with ids compared under ICU's French rules, 82 ms under C.UTF-8
-- (the test server's locale), 52–59 ms bytewise. The columns the queue's searches
-- and zone filter join on change; their indexes are rebuilt with them (about 20 s
-- at 1 000 000 requests, once).
ALTER TABLE requests ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE search_terms ALTER COLUMN request_id TYPE TEXT COLLATE "C";
ALTER TABLE request_zones ALTER COLUMN request_id TYPE TEXT COLLATE "C";

-- A column's new type drops its statistics, which autovacuum does not take again
-- until the rows change: without them the planner reads a search's matches by id as
-- if they were a handful ('zoe' by name: 72 ms → 190 ms at 1 000 000 requests).
ANALYZE requests;
ANALYZE search_terms;
ANALYZE request_zones;

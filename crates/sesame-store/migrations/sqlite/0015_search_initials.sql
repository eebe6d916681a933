-- A one-letter search ('m') matches a fifth of the queue. Read through the search
-- words, its matches cost every word under 'm' and a lookup of each request: 0.7 s
-- to count them at 1 000 000 requests, 0.7–0.9 s for the position marks a jump
-- through them starts from. Each request now keeps which first letters its search
-- words have, one bit each (`ops::search::initial_bit`: a–z are bits 0–25, 0–9 bits
-- 26–35, any other character bit 36), in the sort indexes beside the keys: the
-- matches of 'm' are the index entries with its bit set, tested without reading the
-- table (the count: 60–70 ms). Longer dense words ('ma j') test their first letters
-- there before their words are read, on the few entries left.
ALTER TABLE requests ADD COLUMN search_initials INTEGER NOT NULL DEFAULT 0;

UPDATE requests SET search_initials = (
    SELECT COALESCE(SUM(bit), 0) FROM (
        SELECT DISTINCT CASE
            WHEN unicode(t.term) BETWEEN 97 AND 122 THEN 1 << (unicode(t.term) - 97)
            WHEN unicode(t.term) BETWEEN 48 AND 57 THEN 1 << (unicode(t.term) - 48 + 26)
            ELSE 1 << 36
        END AS bit
        FROM search_terms t WHERE t.request_id = requests.id
    )
);

-- The sort indexes, each with the initials last (their keyset and offsets unchanged).
DROP INDEX requests_sort;
CREATE INDEX requests_sort ON requests (holder_sort, id, search_initials);
DROP INDEX requests_status_sort;
CREATE INDEX requests_status_sort ON requests (status, holder_sort, id, search_initials);
DROP INDEX requests_status_id;
CREATE INDEX requests_status_id ON requests (status, id, search_initials);
DROP INDEX requests_mission_end_sort;
CREATE INDEX requests_mission_end_sort ON requests (mission_end_key, id, search_initials);
DROP INDEX requests_badge_until_sort;
CREATE INDEX requests_badge_until_sort ON requests (badge_valid_until_key, id, search_initials);
-- Newest first is the order of the ids, whose own index (the primary key's) holds
-- nothing else.
CREATE INDEX requests_id_initials ON requests (id, search_initials);

-- A one-letter search ('m') matches a fifth of the queue. Read through the search
-- words, its matches cost every word under 'm' and a lookup of each request: 0.4 s
-- to count them at 1 000 000 requests, 0.7–0.9 s for the position marks a jump
-- through them starts from. Each request now keeps which first letters its search
-- words have, one bit each (`ops::search::initial_bit`: a–z are bits 0–25, 0–9 bits
-- 26–35, any other character bit 36), carried in the sort indexes: the matches of
-- 'm' are the entries with its bit set (an index-only scan once autovacuum has
-- marked the pages visible). Longer dense words ('ma j') test their first letters
-- there before their words are read, on the few entries left.
ALTER TABLE requests ADD COLUMN search_initials BIGINT NOT NULL DEFAULT 0;

-- The first character is compared bytewise (COLLATE "C") before `ascii()` reads it:
-- `ascii()` refuses other characters in a multibyte encoding other than UTF8.
UPDATE requests r SET search_initials = i.bits
FROM (
    SELECT request_id, bit_or(CASE
        WHEN left(term, 1) COLLATE "C" BETWEEN 'a' AND 'z'
            THEN 1::BIGINT << (ascii(left(term, 1)) - 97)
        WHEN left(term, 1) COLLATE "C" BETWEEN '0' AND '9'
            THEN 1::BIGINT << (ascii(left(term, 1)) - 48 + 26)
        ELSE 1::BIGINT << 36
    END) AS bits
    FROM search_terms GROUP BY request_id
) AS i
WHERE r.id = i.request_id;

-- The sort indexes, each carrying the initials (and the status, for the offsets of
-- several statuses: 0015_sort_indexes_carry_status.sql).
DROP INDEX requests_sort;
CREATE INDEX requests_sort ON requests (holder_sort, id) INCLUDE (status, search_initials);
DROP INDEX requests_id_status;
CREATE INDEX requests_id_status ON requests (id) INCLUDE (status, search_initials);
DROP INDEX requests_status_sort;
CREATE INDEX requests_status_sort ON requests (status, holder_sort, id) INCLUDE (search_initials);
DROP INDEX requests_status_id;
CREATE INDEX requests_status_id ON requests (status, id) INCLUDE (search_initials);
DROP INDEX requests_mission_end_sort;
CREATE INDEX requests_mission_end_sort ON requests (mission_end_key, id) INCLUDE (status, search_initials);
DROP INDEX requests_badge_until_sort;
CREATE INDEX requests_badge_until_sort ON requests (badge_valid_until_key, id) INCLUDE (status, search_initials);

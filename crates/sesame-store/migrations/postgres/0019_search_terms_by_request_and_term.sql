-- A request's search words, indexed with the words themselves. Under a search whose
-- every word is common ('m'), a page walks the sort's index and asks of each request
-- whether it has a matching word (`queue_search::has_term`): ~7 700 requests for the
-- first page of 'm' by name at 1 000 000 requests. With the request alone indexed,
-- each question read the request's words from the table (a page or more each):
-- 106 ms for that page. With the word in the index, the answer is in the index
-- (an index-only scan once autovacuum has marked the pages visible): 41 ms.
-- The new index also serves what the old one did (a request's words, to replace them),
-- so it replaces it. SQLite's table is WITHOUT ROWID: its index already holds the word.

CREATE INDEX search_terms_request_term ON search_terms (request_id, term);
DROP INDEX search_terms_request;

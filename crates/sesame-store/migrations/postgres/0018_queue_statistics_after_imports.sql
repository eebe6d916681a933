-- The planner's statistics of the queue's tables, refreshed by the desk right after an
-- import that outgrew them (`ops/import.rs`). Autovacuum analyses a grown table within
-- a minute or so, but the searches typed meanwhile were planned on the old figures:
-- after 22 000 requests were imported into an empty queue, a search's page planned
-- for 300 matching terms where there were 20 000 took 10 s instead of milliseconds.
-- ANALYZE needs the tables' owner; this function lets an operator's own login ask
-- (`sesame_clerk` and the groups in it; `sesamectl db secure` grants it too). Other
-- logins but the owner may not.

CREATE FUNCTION sesame_refresh_queue_statistics() RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE requests;
    ANALYZE holders;
    ANALYZE search_terms;
    ANALYZE request_zones;
END
$$;

REVOKE ALL ON FUNCTION sesame_refresh_queue_statistics() FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sesame_clerk') THEN
        GRANT EXECUTE ON FUNCTION sesame_refresh_queue_statistics() TO sesame_clerk;
    END IF;
END
$$;

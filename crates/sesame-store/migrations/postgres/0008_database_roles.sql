-- The database's own enforcement of the desk's roles, for queues where each operator
-- signs in with their own PostgreSQL login (see `sesamectl db secure` and
-- ARCHITECTURE.md, "Who enforces roles"). Everything here is dormant for a login that
-- belongs to none of the groups `sesame_clerk`, `sesame_supervisor`,
-- `sesame_housekeeping` (the owner, or the single shared login of an older set-up):
-- its table privileges decide, as before. For an operator's login, the sensitive
-- changes below pass only for a supervisor, for housekeeping where it may, or with a
-- supervisor's countersign recorded by the database itself. PostgreSQL only: a SQLite
-- queue is one OS account's file, and no role inside it can protect against that account.

-- Who really wrote each audit line: the database login, stamped by a trigger.
ALTER TABLE audit_log ADD COLUMN db_role TEXT;

-- A supervisor's countersign for a clerk: one action, within five minutes, used by
-- the first transaction that needs it. Written only by `sesame_countersign`.
CREATE TABLE countersigns (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clerk       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_txid   BIGINT
);
CREATE INDEX countersigns_clerk ON countersigns (clerk, action, expires_at);

-- Whether the session's login belongs to `grp` (false when the group does not exist).
CREATE FUNCTION sesame_in_group(grp TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grp)
       AND pg_has_role(session_user, grp, 'MEMBER')
$$;

-- Whether the session is an operator's own login, so that the rules below apply.
CREATE FUNCTION sesame_enforced() RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT sesame_in_group('sesame_clerk') OR sesame_in_group('sesame_supervisor')
        OR sesame_in_group('sesame_housekeeping')
$$;

-- The desk's role name for the session's login: 'supervisor', 'clerk', 'housekeeping',
-- or NULL for a login outside Sésame's groups.
CREATE FUNCTION sesame_session_role() RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT CASE
        WHEN sesame_in_group('sesame_supervisor') THEN 'supervisor'
        WHEN sesame_in_group('sesame_housekeeping') THEN 'housekeeping'
        WHEN sesame_in_group('sesame_clerk') THEN 'clerk'
    END
$$;

-- Whether the session may do `p_action` now: yes outside enforcement and for a
-- supervisor; for housekeeping, its own actions; otherwise only by using a countersign
-- granted to this login for this action (the same one serves the whole transaction).
CREATE FUNCTION sesame_may(p_action TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    used BIGINT;
BEGIN
    IF NOT sesame_enforced() OR sesame_in_group('sesame_supervisor') THEN
        RETURN TRUE;
    END IF;
    IF sesame_in_group('sesame_housekeeping') AND p_action = 'purge' THEN
        RETURN TRUE;
    END IF;
    UPDATE countersigns SET used_txid = txid_current()
     WHERE id = (SELECT id FROM countersigns
                  WHERE clerk = session_user AND action = p_action AND expires_at > now()
                    AND (used_txid IS NULL OR used_txid = txid_current())
                  ORDER BY used_txid NULLS LAST, id
                  LIMIT 1)
    RETURNING id INTO used;
    RETURN used IS NOT NULL;
END
$$;

-- Raises the refusal the desk maps to "a supervisor must countersign `p_action`".
CREATE FUNCTION sesame_require(p_action TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT sesame_may(p_action) THEN
        RAISE EXCEPTION 'sesame:supervisor_required:%', p_action
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'a supervisor must do this or countersign it';
    END IF;
END
$$;

-- A supervisor countersigns one action for a clerk's login (from the clerk's desk, with
-- the supervisor's own password). Audited with the supervisor's login.
CREATE FUNCTION sesame_countersign(p_clerk TEXT, p_action TEXT, p_target TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT sesame_in_group('sesame_supervisor') THEN
        RAISE EXCEPTION 'sesame:supervisor_required:countersign'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO countersigns (clerk, action, target, granted_by, expires_at)
    VALUES (p_clerk, p_action, p_target, session_user, now() + INTERVAL '5 minutes');
    INSERT INTO audit_log (at, operator, entity, entity_id, action, after_json)
    VALUES (now(), session_user, 'operator', p_clerk, 'countersign',
            json_build_object('action', p_action, 'target', p_target)::TEXT);
END
$$;

-- The audit log (already append-only, 0001_queue.sql): the login is stamped on every
-- line, and an update may only blank a payload, as a purge or an erasure. No login is
-- granted UPDATE on it: `sesame_redact_audit` below does the blanking.
CREATE FUNCTION sesame_audit_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.db_role := session_user;
        -- The desk writes these lines in the same transaction as the act (the key
        -- file is put in place only once its line is written).
        IF NEW.action = 'reprint' THEN
            PERFORM sesame_require('reprint');
        ELSIF NEW.action IN ('key_export', 'key_import') THEN
            PERFORM sesame_require('key_export');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at
       OR NEW.operator IS DISTINCT FROM OLD.operator OR NEW.entity IS DISTINCT FROM OLD.entity
       OR NEW.entity_id IS DISTINCT FROM OLD.entity_id
       OR NEW.request_id IS DISTINCT FROM OLD.request_id
       OR NEW.action IS DISTINCT FROM OLD.action OR NEW.db_role IS DISTINCT FROM OLD.db_role
       OR NEW.before_json IS NOT NULL OR NEW.after_json IS NOT NULL OR NEW.reason IS NOT NULL
       OR NOT NEW.redacted THEN
        RAISE EXCEPTION 'sesame:audit_append_only' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT (sesame_may('purge') OR sesame_may('erase_holder')) THEN
        PERFORM sesame_require('purge');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_guard BEFORE INSERT OR UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION sesame_audit_guard();

-- Blanks the payload of the audit lines about a holder (their requests and badges)
-- or a request, for a purge or an erasure; returns how many lines.
CREATE FUNCTION sesame_redact_audit(p_scope TEXT, p_id TEXT) RETURNS BIGINT
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    done BIGINT;
BEGIN
    IF NOT (sesame_may('purge') OR sesame_may('erase_holder')) THEN
        PERFORM sesame_require('purge');
    END IF;
    IF p_scope = 'holder' THEN
        UPDATE audit_log
           SET before_json = NULL, after_json = NULL, reason = NULL, redacted = TRUE
         WHERE NOT redacted
           AND ((entity = 'holder' AND entity_id = p_id)
                OR request_id IN (SELECT id FROM requests WHERE holder_id = p_id)
                OR (entity = 'badge'
                    AND entity_id IN (SELECT id FROM badges WHERE holder_id = p_id)));
    ELSIF p_scope = 'request' THEN
        UPDATE audit_log
           SET before_json = NULL, after_json = NULL, reason = NULL, redacted = TRUE
         WHERE NOT redacted AND request_id = p_id;
    ELSE
        RAISE EXCEPTION 'sesame:invalid_scope:%', p_scope USING ERRCODE = 'invalid_parameter_value';
    END IF;
    GET DIAGNOSTICS done = ROW_COUNT;
    RETURN done;
END
$$;

-- Operators: added, renamed, promoted, deactivated, given a PIN only by a supervisor.
CREATE FUNCTION sesame_operators_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sesame_require('manage_operators');
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER operators_guard BEFORE INSERT OR UPDATE OR DELETE ON operators
    FOR EACH ROW EXECUTE FUNCTION sesame_operators_guard();

-- Settings (the office's policy, rules, mail, photo rules, the housekeeping token):
-- a supervisor's. The one a desk writes on its own is the record that plain
-- attachments were sealed, and only ever added.
CREATE FUNCTION sesame_settings_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.key = 'attachments.plain_sealed' THEN
        RETURN NEW;
    END IF;
    PERFORM sesame_require('change_settings');
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER settings_guard BEFORE INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION sesame_settings_guard();

-- Zones and their approvers.
CREATE FUNCTION sesame_zones_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sesame_require('change_zones');
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER zones_guard BEFORE INSERT OR UPDATE OR DELETE ON zones
    FOR EACH ROW EXECUTE FUNCTION sesame_zones_guard();

-- A zone decision names the login that recorded it, and is recorded by the zone's
-- approver (by login name or display name) or under a supervisor.
CREATE FUNCTION sesame_zone_decisions_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    approver TEXT;
    display TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM sesame_require('decide_zone_access');
        RETURN OLD;
    END IF;
    IF NOT sesame_enforced() THEN
        RETURN NEW;
    END IF;
    NEW.recorded_by := session_user;
    SELECT approver_name INTO approver FROM zones WHERE key = NEW.zone;
    SELECT display_name INTO display FROM operators WHERE name = session_user;
    IF approver IS NULL OR NOT (lower(approver) = lower(session_user::TEXT)
                                OR lower(approver) = lower(coalesce(display, ''))) THEN
        PERFORM sesame_require('decide_zone_access');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER zone_decisions_guard BEFORE INSERT OR UPDATE OR DELETE ON zone_decisions
    FOR EACH ROW EXECUTE FUNCTION sesame_zone_decisions_guard();

-- Lifting an opposition, on the opposition or directly on the badge.
CREATE FUNCTION sesame_oppositions_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM sesame_require('lift_opposition');
        RETURN OLD;
    END IF;
    IF NEW.lifted_at IS DISTINCT FROM OLD.lifted_at THEN
        PERFORM sesame_require('lift_opposition');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER oppositions_guard BEFORE UPDATE OR DELETE ON oppositions
    FOR EACH ROW EXECUTE FUNCTION sesame_oppositions_guard();

CREATE FUNCTION sesame_badges_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF OLD.status = 'opposed' AND NEW.status NOT IN ('opposed', 'deactivated') THEN
        PERFORM sesame_require('lift_opposition');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER badges_guard BEFORE UPDATE ON badges
    FOR EACH ROW EXECUTE FUNCTION sesame_badges_guard();

-- Purges and erasures: the ID scans and photos of a request that is no longer open,
-- a request marked purged, a holder anonymised.
CREATE FUNCTION sesame_attachments_purge_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    open_request BOOLEAN;
BEGIN
    SELECT status IN ('submitted', 'incomplete', 'awaiting_photo', 'ready_for_review', 'refused')
      INTO open_request FROM requests WHERE id = OLD.request_id;
    IF NOT coalesce(open_request, FALSE)
       AND NOT (sesame_may('purge') OR sesame_may('erase_holder')) THEN
        PERFORM sesame_require('purge');
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER attachments_purge_guard BEFORE DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION sesame_attachments_purge_guard();

CREATE FUNCTION sesame_requests_purge_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.purged_at IS DISTINCT FROM OLD.purged_at THEN
        PERFORM sesame_require('purge');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER requests_purge_guard BEFORE UPDATE OF purged_at ON requests
    FOR EACH ROW EXECUTE FUNCTION sesame_requests_purge_guard();

CREATE FUNCTION sesame_holders_erasure_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.anonymised_at IS DISTINCT FROM OLD.anonymised_at
       AND NOT (sesame_may('erase_holder') OR sesame_may('purge')) THEN
        PERFORM sesame_require('erase_holder');
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER holders_erasure_guard BEFORE UPDATE OF anonymised_at ON holders
    FOR EACH ROW EXECUTE FUNCTION sesame_holders_erasure_guard();

-- Operators' logins, created and changed by a supervisor from a desk. Run with the
-- rights of the queue's owner, who needs CREATEROLE (see `sesamectl db secure`).
CREATE FUNCTION sesame_group_of(p_role TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_role WHEN 'supervisor' THEN 'sesame_supervisor'
                       WHEN 'clerk' THEN 'sesame_clerk'
                       WHEN 'housekeeping' THEN 'sesame_housekeeping' END
$$;

CREATE FUNCTION sesame_create_login(p_name TEXT, p_display TEXT, p_role TEXT, p_password TEXT)
RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sesame_require('manage_operators');
    IF sesame_group_of(p_role) IS NULL THEN
        RAISE EXCEPTION 'sesame:invalid_role:%', p_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION 'sesame:login_exists:%', p_name USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I',
                   p_name, p_password, sesame_group_of(p_role));
    IF p_role <> 'housekeeping' THEN
        INSERT INTO operators (name, display_name, role, active, created_at, created_by, updated_at)
        VALUES (p_name, p_display, p_role, TRUE, now(), session_user, now())
        ON CONFLICT (name) DO UPDATE
            SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, active = TRUE,
                updated_at = now();
    END IF;
    INSERT INTO audit_log (at, operator, entity, entity_id, action, after_json)
    VALUES (now(), session_user, 'operator', p_name, 'create_login',
            json_build_object('role', p_role, 'display_name', p_display)::TEXT);
END
$$;

CREATE FUNCTION sesame_set_login_password(p_name TEXT, p_password TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF p_name <> session_user THEN
        PERFORM sesame_require('manage_operators');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM operators WHERE name = p_name) THEN
        RAISE EXCEPTION 'sesame:unknown_login:%', p_name USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_password);
    INSERT INTO audit_log (at, operator, entity, entity_id, action)
    VALUES (now(), session_user, 'operator', p_name, 'set_password');
END
$$;

-- Whether `p_name` is the last active supervisor (who must stay one).
CREATE FUNCTION sesame_is_last_supervisor(p_name TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT EXISTS (SELECT 1 FROM operators WHERE name = p_name AND role = 'supervisor' AND active)
       AND NOT EXISTS (SELECT 1 FROM operators
                        WHERE role = 'supervisor' AND active AND name <> p_name)
$$;

CREATE FUNCTION sesame_set_login_role(p_name TEXT, p_role TEXT) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM sesame_require('manage_operators');
    IF p_role NOT IN ('clerk', 'supervisor') THEN
        RAISE EXCEPTION 'sesame:invalid_role:%', p_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM operators WHERE name = p_name) THEN
        RAISE EXCEPTION 'sesame:unknown_login:%', p_name USING ERRCODE = 'undefined_object';
    END IF;
    IF p_role = 'clerk' AND sesame_is_last_supervisor(p_name) THEN
        RAISE EXCEPTION 'sesame:last_supervisor:%', p_name USING ERRCODE = 'check_violation';
    END IF;
    UPDATE operators SET role = p_role, updated_at = now() WHERE name = p_name;
    IF (SELECT active FROM operators WHERE name = p_name) THEN
        EXECUTE format('REVOKE sesame_supervisor, sesame_clerk FROM %I', p_name);
        EXECUTE format('GRANT %I TO %I', sesame_group_of(p_role), p_name);
    END IF;
END
$$;

-- A disabled login can neither log in nor, in a session still open, act: it leaves
-- its group (privileges are checked at each statement); enabled again, it rejoins
-- the group of its role.
CREATE FUNCTION sesame_set_login_active(p_name TEXT, p_active BOOLEAN) RETURNS VOID
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    role_name TEXT;
BEGIN
    PERFORM sesame_require('manage_operators');
    SELECT role INTO role_name FROM operators WHERE name = p_name;
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'sesame:unknown_login:%', p_name USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT p_active AND sesame_is_last_supervisor(p_name) THEN
        RAISE EXCEPTION 'sesame:last_supervisor:%', p_name USING ERRCODE = 'check_violation';
    END IF;
    IF p_active THEN
        EXECUTE format('ALTER ROLE %I LOGIN', p_name);
        EXECUTE format('GRANT %I TO %I', sesame_group_of(role_name), p_name);
    ELSE
        EXECUTE format('ALTER ROLE %I NOLOGIN', p_name);
        EXECUTE format('REVOKE sesame_supervisor, sesame_clerk FROM %I', p_name);
    END IF;
    UPDATE operators SET active = p_active, updated_at = now() WHERE name = p_name;
END
$$;

REVOKE ALL ON FUNCTION sesame_countersign(TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION sesame_create_login(TEXT, TEXT, TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION sesame_set_login_role(TEXT, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION sesame_set_login_active(TEXT, BOOLEAN) FROM PUBLIC;

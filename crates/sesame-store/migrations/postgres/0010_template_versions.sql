-- The office's badge templates, shared by every desk of the queue. Each save (the
-- designer, a file added, the built-in set put back, an older version restored) is a
-- new version of the whole set, never changed afterwards; the newest is in use, and a
-- print run records the version it printed with.
CREATE TABLE template_versions (
    version   BIGINT PRIMARY KEY,
    -- JSON object: file name → the template file's text (TOML).
    files     TEXT NOT NULL,
    -- The built-in set, as shipped (what "back to the built-in templates" saves).
    builtin   BOOLEAN NOT NULL DEFAULT FALSE,
    note      TEXT NOT NULL DEFAULT '',
    saved_by  TEXT NOT NULL,
    saved_at  TIMESTAMPTZ NOT NULL
);

-- Saving a version (or a picture) is a supervisor's, as the settings are; nobody
-- changes or removes one (`secure_database` grants no UPDATE or DELETE on them either).
CREATE FUNCTION sesame_template_versions_guard() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'the office''s templates are never changed or removed, only added to'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM sesame_require('change_settings');
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER template_versions_guard BEFORE INSERT OR UPDATE OR DELETE ON template_versions
    FOR EACH ROW EXECUTE FUNCTION sesame_template_versions_guard();

-- The pictures templates name (`image` elements: logos, icons, backgrounds), shared by
-- every desk. A name always means the same picture, so every version draws what it
-- drew when it was saved: a picture is added (a supervisor's), never replaced or
-- removed.
CREATE TABLE template_images (
    name        TEXT PRIMARY KEY,
    data        BYTEA NOT NULL,
    sha256      TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER template_images_guard BEFORE INSERT OR UPDATE OR DELETE ON template_images
    FOR EACH ROW EXECUTE FUNCTION sesame_template_versions_guard();

-- The office's badge templates, shared by every desk of the queue. Each save (the
-- designer, a file added, the built-in set put back, an older version restored) is a
-- new version of the whole set, never changed afterwards; the newest is in use, and a
-- print run records the version it printed with.
CREATE TABLE template_versions (
    version   INTEGER PRIMARY KEY,
    -- JSON object: file name → the template file's text (TOML).
    files     TEXT NOT NULL,
    -- The built-in set, as shipped (what "back to the built-in templates" saves).
    builtin   INTEGER NOT NULL DEFAULT 0,
    note      TEXT NOT NULL DEFAULT '',
    saved_by  TEXT NOT NULL,
    saved_at  TEXT NOT NULL
);

-- Nobody changes or removes a version.
CREATE TRIGGER template_versions_never_updated BEFORE UPDATE ON template_versions
BEGIN
    SELECT RAISE(ABORT, 'a template version is never changed');
END;
CREATE TRIGGER template_versions_never_deleted BEFORE DELETE ON template_versions
BEGIN
    SELECT RAISE(ABORT, 'a template version is never removed');
END;

-- The pictures templates name (`image` elements: logos, icons, backgrounds), shared by
-- every desk. A name always means the same picture, so every version draws what it
-- drew when it was saved: a picture is added, never replaced or removed.
CREATE TABLE template_images (
    name        TEXT PRIMARY KEY,
    data        BLOB NOT NULL,
    sha256      TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TEXT NOT NULL
);
CREATE TRIGGER template_images_never_updated BEFORE UPDATE ON template_images
BEGIN
    SELECT RAISE(ABORT, 'a template picture is never changed');
END;
CREATE TRIGGER template_images_never_deleted BEFORE DELETE ON template_images
BEGIN
    SELECT RAISE(ABORT, 'a template picture is never removed');
END;

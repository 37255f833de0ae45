-- A school's logo: the small copy of an image its administrator uploaded (re-encoded at upload, so no
-- camera metadata and nothing but pixels is served back).
CREATE TABLE school_logos (
    school_id    INTEGER PRIMARY KEY REFERENCES schools (id) ON DELETE CASCADE,
    content      BLOB    NOT NULL,
    content_type TEXT    NOT NULL
);

-- Grows with every change of the logo and never goes back, so that the logo's address
-- (`…/logo?v=<version>`) can be cached for good.
ALTER TABLE schools ADD COLUMN logo_version INTEGER NOT NULL DEFAULT 0;

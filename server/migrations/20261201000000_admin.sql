-- The administrator's screens: the school's information, classes' size, class teacher and archive,
-- the invite a membership came through, the audit log and the days people were active.

ALTER TABLE schools ADD COLUMN region TEXT;
ALTER TABLE schools ADD COLUMN municipality TEXT;
ALTER TABLE schools ADD COLUMN address TEXT;
ALTER TABLE schools ADD COLUMN phone TEXT;
ALTER TABLE schools ADD COLUMN email TEXT;
ALTER TABLE schools ADD COLUMN website TEXT;
ALTER TABLE schools ADD COLUMN journal_url TEXT;

-- How many students the class has on paper (the adoption view compares it with who joined).
ALTER TABLE classes ADD COLUMN size INTEGER;
-- Set when the class graduates or is put away: its chats stay readable, nobody posts.
ALTER TABLE classes ADD COLUMN archived_at INTEGER;
-- The class teacher («классный руководитель»), one of the class's teachers.
ALTER TABLE classes ADD COLUMN homeroom_id INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- The invite a membership came through, for the person's card («вступил по ссылке …»).
ALTER TABLE memberships ADD COLUMN invite_id INTEGER REFERENCES invites (id) ON DELETE SET NULL;

-- Every administrative action, written in the same transaction as the action. Names are copied as they
-- were at the time (`class_name`, `from_value`, `to_value`), so the log reads the same after renames.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    school_id  INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    actor_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT    NOT NULL,
    subject_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    class_id   INTEGER REFERENCES classes (id) ON DELETE SET NULL,
    class_name TEXT,
    from_value TEXT,
    to_value   TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_school ON audit_log (school_id, id);
CREATE INDEX audit_log_subject ON audit_log (school_id, subject_id, id);

-- One row per person per UTC day they used Parta (any signed-in request): the statistics' active
-- people. Kept small on purpose: no times, no pages, nothing about what they did.
CREATE TABLE activity_days (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day     TEXT    NOT NULL,
    PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
CREATE INDEX activity_days_day ON activity_days (day);
